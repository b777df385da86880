// Peer (c): bare Hono + @hono/trpc-server with the same router and services, no middleware.
// The gap to the full server is what the gateway middleware costs.
import { appRouter } from "@cartwheel/api";
import { serve } from "@hono/node-server";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { anonymousContext, exitOnSigterm, listenPort, peerServices } from "./shared.ts";

const services = await peerServices();
const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));
app.use(
  "/trpc/*",
  trpcServer({
    router: appRouter,
    endpoint: "/trpc",
    createContext: () => anonymousContext(services, "127.0.0.1") as unknown as Record<string, unknown>,
  }),
);
const server = serve({ fetch: app.fetch, port: listenPort(), hostname: "127.0.0.1" });
exitOnSigterm(() => new Promise((resolve) => server.close(resolve)));
