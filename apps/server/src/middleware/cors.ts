import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../hono-env.ts";

/**
 * Cross-origin access for an explicit allowlist only (same-origin needs no CORS). Unlike
 * hono's `credentials: true`, Access-Control-Allow-Credentials is sent only when the
 * Origin is on the list, so no other origin is ever told cookies are welcome.
 */
export function corsAllowlist(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-Request-Id", "X-API-Key", "trpc-accept", "x-trpc-source"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
    maxAge: 600,
  });
  return async (c, next) => {
    const preflight = await handler(c, next);
    if (allowed.has(c.req.header("origin") ?? "")) {
      (preflight ?? c.res).headers.set("Access-Control-Allow-Credentials", "true");
    }
    return preflight;
  };
}
