import { randomUUID } from "node:crypto";
import type { Context, Services } from "@cartwheel/api";
import type { Context as HonoContext } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** Builds the strict tRPC context for one request from what the middleware established. */
export function createTrpcContext(services: Services, c: HonoContext): Context {
  const requestId = randomUUID();
  return {
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
}
