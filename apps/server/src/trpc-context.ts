import type { Context, Services } from "@cartwheel/api";
import type { Context as HonoContext } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "./env.ts";

/** Builds the strict tRPC context for one request from what the middleware established. */
export function createTrpcContext(services: Services, c: HonoContext<AppEnv>): Context {
  // Request id, logger and client IP come from the gateway middleware (request-id.ts, client-ip.ts).
  const requestId = c.get("requestId");
  return {
    services,
    requestId,
    actor: null,
    ip: c.get("ip"),
    userAgent: c.req.header("user-agent") ?? null,
    sameOrigin: false,
    cookies: {
      get: (name) => getCookie(c, name),
      set: (name, value, options) => setCookie(c, name, value, { ...options, maxAge: options.maxAgeSeconds }),
      delete: (name, options) => deleteCookie(c, name, options),
    },
    logger: c.get("logger"),
  };
}
