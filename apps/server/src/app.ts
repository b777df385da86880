import { appRouter, type Services } from "@cartwheel/api";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { createTrpcContext } from "./trpc-context.ts";

export interface AppOptions {
  services: Services;
}

export function createApp({ services }: AppOptions): Hono {
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "ok" }));

  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      // @hono/trpc-server types createContext loosely; ours stays strict in trpc-context.ts.
      createContext: (_opts, c) => createTrpcContext(services, c) as unknown as Record<string, unknown>,
    }),
  );

  return app;
}
