import type { Metrics } from "@cartwheel/observability";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const OPS_ROUTES = new Set(["/health", "/ready", "/version", "/metrics"]);

/** Bounded label for the HTTP histogram: never the raw path, which clients control. */
export function routeGroup(path: string): string {
  if (path === "/trpc" || path.startsWith("/trpc/")) return "/trpc";
  return OPS_ROUTES.has(path) ? path : "other";
}

/** `/trpc/catalog.list,orders.get` → ["catalog.list", "orders.get"]. */
export function procedureNames(path: string): string[] {
  if (!path.startsWith("/trpc/")) return [];
  let names = path.slice("/trpc/".length);
  try {
    names = decodeURIComponent(names);
  } catch {
    // Malformed escapes: log the raw segment.
  }
  return names.split(",").filter(Boolean);
}

/**
 * One line per request with method, path (never the query string: GET inputs may carry
 * data), procedures, status, duration, caller and request id (bound in the logger).
 * Probes and scrapes log at debug so they do not drown the access log.
 */
export function accessLog(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const durationMs = performance.now() - started;
      const { method, path } = c.req;
      const status = c.res.status;
      const route = routeGroup(path);
      metrics.httpRequestDuration.observe(
        { method: KNOWN_METHODS.has(method) ? method : "OTHER", route, status: String(status) },
        durationMs / 1000,
      );
      const actor = c.get("actor");
      const line = {
        method,
        path,
        procedures: route === "/trpc" ? procedureNames(path) : undefined,
        status,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: actor?.kind === "user" ? actor.id : undefined,
        apiKeyId: actor?.kind === "apiKey" ? actor.id : undefined,
        ip: c.get("ip"),
      };
      const logger = c.get("logger");
      if (OPS_ROUTES.has(path)) logger.debug(line, "request");
      else logger.info(line, "request");
    }
  };
}
