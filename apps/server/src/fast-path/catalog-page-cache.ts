import type { CatalogPageCache } from "@cartwheel/commerce";
import { isStaffRole } from "@cartwheel/contracts/enums";
import type { Metrics } from "@cartwheel/observability";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { plainResponse } from "./plain-response.ts";

interface CachedResponse {
  body: string;
  /** Lower-case names, as a plain object: see plain-response.ts. */
  headers: Record<string, string>;
}

const MAX_KEY_LENGTH = 2048;

/**
 * Shoppers' `GET /trpc/catalog.list` answered from memory: the exact bytes and headers tRPC
 * produced for the same query string, kept in the catalog page cache, so every product or
 * stock write invalidates them (see packages/commerce catalog-page-cache.ts). A hit skips tRPC,
 * validation and JSON serialisation; everything around it (request id, access log, headers,
 * rate limits) still runs. Staff (who also see archived products), streaming clients
 * (trpc-accept) and any response that is not a plain 200 without cookies bypass it.
 */
export function serveFromCatalogPageCache(
  cache: CatalogPageCache,
  metrics: Metrics | undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const query = url.indexOf("?");
    const actor = c.get("actor");
    if (
      c.req.method !== "GET" ||
      c.req.header("trpc-accept") !== undefined ||
      (actor !== null && isStaffRole(actor.role)) ||
      url.length - query > MAX_KEY_LENGTH
    ) {
      return next();
    }
    const key = `http:${query === -1 ? "" : url.slice(query + 1)}`;
    const started = performance.now();
    const hit = cache.get("catalog_page_http", key) as CachedResponse | undefined;
    if (hit) {
      // The procedure histogram still sees the call, as if tRPC had answered it.
      metrics?.procedureDuration.observe(
        { procedure: "catalog.list", type: "query", outcome: "ok" },
        (performance.now() - started) / 1000,
      );
      return plainResponse(c, hit.body, hit.headers);
    }
    const stamp = cache.stamp();
    await next();
    const response = c.res;
    if (response.status !== 200 || response.headers.has("set-cookie")) return;
    const body = await response.text();
    const headers = Object.fromEntries(response.headers);
    cache.set(key, stamp, { body, headers } satisfies CachedResponse);
    c.res = new Response(body, { status: 200, headers });
  };
}
