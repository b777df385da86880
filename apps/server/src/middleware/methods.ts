import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";

/**
 * 405 with an Allow header for methods a route does not serve (e.g. PUT /trpc/x,
 * POST /health), instead of a misleading 404. `trpcShaped` answers in tRPC error JSON.
 */
export function allowMethods(methods: readonly string[], trpcShaped = false): MiddlewareHandler<AppEnv> {
  const allowed = new Set(methods);
  const allow = methods.join(", ");
  return async (c, next) => {
    if (allowed.has(c.req.method)) return next();
    const message = `${c.req.method} is not allowed here; use ${allow}.`;
    if (trpcShaped) return trpcErrorResponse(c, "METHOD_NOT_SUPPORTED", message, { Allow: allow });
    return c.json({ error: message }, 405, { Allow: allow });
  };
}
