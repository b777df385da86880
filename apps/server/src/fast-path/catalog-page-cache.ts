import { createHash } from "node:crypto";
import type { CatalogPageCache } from "@cartwheel/commerce";
import { isStaffRole } from "@cartwheel/contracts/enums";
import type { Metrics } from "@cartwheel/observability";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { notModified, plainResponse } from "./plain-response.ts";

interface CachedResponse {
  /** Bytes, not a string: a string would be UTF-8 encoded again on every write to a socket. */
  body: Uint8Array;
  /** Lower-case names, as a plain object: see plain-response.ts. Includes the ETag. */
  headers: Record<string, string>;
}

/** A strong validator: the same bytes give the same tag on every instance and after restarts. */
const entityTag = (body: string) => `"${createHash("sha256").update(body).digest("base64url")}"`;

/** If-None-Match with GET's weak comparison (RFC 9110 13.1.2): `W/"x"` matches `"x"`, `*` anything. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  for (const candidate of header.split(",")) {
    const tag = candidate.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}

const MAX_KEY_LENGTH = 2048;

/**
 * Shoppers' `GET /trpc/catalog.list` answered from memory: the exact bytes and headers tRPC
 * produced for the same query string, kept in the catalog page cache, so every product or
 * stock write invalidates them (see packages/commerce catalog-page-cache.ts). A hit skips tRPC,
 * validation and JSON serialisation; everything around it (request id, access log, headers,
 * rate limits) still runs. Staff (who also see archived products), streaming clients
 * (trpc-accept) and any response that is not a plain 200 without cookies bypass it.
 *
 * Each such page carries a strong ETag (a hash of its bytes). A request whose If-None-Match
 * names it gets 304 without a body: from memory on a hit, before tRPC and the database; on a
 * miss once tRPC has produced the same bytes again. Browsers revalidate it every time
 * (Cache-Control: private, no-cache, see middleware/secure-headers.ts), so a 304 is never
 * older than a 200 would have been.
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
      if (matchesIfNoneMatch(c.req.header("if-none-match"), hit.headers.etag!)) return notModified(c, hit.headers);
      return plainResponse(c, hit.body, hit.headers);
    }
    const stamp = cache.stamp();
    await next();
    const response = c.res;
    if (response.status !== 200 || response.headers.has("set-cookie")) return;
    const body = await response.text();
    const headers = Object.fromEntries(response.headers);
    headers.etag = entityTag(body);
    cache.set(key, stamp, { body: Buffer.from(body), headers } satisfies CachedResponse);
    c.res = matchesIfNoneMatch(c.req.header("if-none-match"), headers.etag)
      ? notModified(c, headers)
      : new Response(body, { status: 200, headers });
  };
}
