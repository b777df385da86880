/**
 * The server's fast paths: the only code that bends Hono's usual request/response flow for
 * throughput. Everything else in the server goes through plain Hono middleware.
 *
 * The boundary:
 * - `serveFromCatalogPageCache` answers `catalog.list` from a page already rendered to bytes
 *   (the cache lives in @cartwheel/commerce and is invalidated by writes), before tRPC runs.
 *   It may only answer what tRPC would answer byte for byte: same body, same headers; the
 *   page-cache tests compare both over a real socket.
 * - `plainResponse` / `setResponseHeaders` keep a cached answer's headers as a plain object
 *   that @hono/node-server writes as it is. Gateway middleware set headers through
 *   `setResponseHeaders`, never `c.res.headers` directly, so both kinds of response carry
 *   the same headers.
 *
 * What may not cross it: authorisation decisions (the cache only serves what anonymous
 * shoppers may see), request validation, and anything that writes.
 */
export { serveFromCatalogPageCache } from "./catalog-page-cache.ts";
export { setResponseHeaders, type PlainResponse } from "./plain-response.ts";
