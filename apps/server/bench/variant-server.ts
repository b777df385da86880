// One side of bench/middleware-cost.ts: "full" is the production app, "bare" is Hono +
// tRPC with the same router and services but none of the gateway middleware.
import { randomUUID } from "node:crypto";
import { appRouter, type Context } from "@cartwheel/api";
import { createLogger, createMetrics } from "@cartwheel/observability";
import { serve } from "@hono/node-server";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { loadConfig } from "../src/config.ts";
import { startServer } from "../src/server.ts";
import { createServices } from "../src/services.ts";

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL });

if (process.argv[2] === "full") {
  const running = await startServer({ config, logger });
  process.once("SIGTERM", () => void running.shutdown("bench over").then(() => process.exit(0)));
} else {
  const services = await createServices(config, logger, { metrics: createMetrics() });
  const app = new Hono();
  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      createContext: () => {
        const requestId = randomUUID();
        const context = {
          services,
          requestId,
          actor: null,
          ip: "127.0.0.1",
          userAgent: null,
          sameOrigin: false,
          cookies: { get: () => undefined, set: () => {}, delete: () => {} },
          logger,
        } as unknown as Context;
        return context as unknown as Record<string, unknown>;
      },
    }),
  );
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
