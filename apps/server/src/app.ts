import { randomUUID } from "node:crypto";
import { appRouter, type Context, type Services } from "@cartwheel/api";
import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

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
      // @hono/trpc-server types createContext loosely; we return our strict Context.
      createContext: (_opts, c) => {
        const requestId = randomUUID();
        const context: Context = {
          services,
          requestId,
          actor: null,
          ip: "unknown",
          userAgent: c.req.header("user-agent") ?? null,
          sameOrigin: false,
          cookies: {
            get: (name) => getCookie(c, name),
            set: (name, value, options) => setCookie(c, name, value, { ...options, maxAge: options.maxAgeSeconds }),
            delete: (name, options) => deleteCookie(c, name, options),
          },
          logger: services.logger.child({ requestId }),
        };
        return context as unknown as Record<string, unknown>;
      },
    }),
  );

  return app;
}
