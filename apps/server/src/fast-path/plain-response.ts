import type { Context } from "hono";
import type { AppEnv } from "../hono-env.ts";

/**
 * A response answered from memory (a catalog page cache hit) whose headers are still a plain
 * object. @hono/node-server writes such a Response straight to the socket; touching
 * `response.headers` would turn the object into an undici Headers, validating every name and
 * value again: a large share of the CPU of a cached catalog page (tooling/bench/README.md).
 */
export interface PlainResponse {
  readonly response: Response;
  /** Lower-case names; the gateway middleware add theirs here instead of on `response.headers`. */
  readonly headers: Record<string, string>;
}

let probed: { for: typeof Response; keepsPlainHeaders: boolean } | undefined;

/**
 * Whether `new Response(body, { headers })` keeps reading the given object until the headers
 * are first used. @hono/node-server's Response (installed globally by serve()) does, and
 * writes that object to the socket as it is; a standard Response copies it at once (tests
 * calling app.request), and then headers must go through `c.res.headers` as usual.
 */
function responsesKeepPlainHeaders(): boolean {
  if (probed?.for !== Response) {
    const headers: Record<string, string> = {};
    const probe = new Response(null, { headers });
    headers["x-probe"] = "1";
    probed = { for: Response, keepsPlainHeaders: probe.headers.get("x-probe") === "1" };
  }
  return probed.keepsPlainHeaders;
}

/**
 * Answers with `body` and a copy of `headers`, which later gateway middleware extend in place.
 * Until the response is written nothing may read `response.headers` (that would freeze them);
 * the gateway middleware go through setResponseHeaders, and a middleware that replaces the
 * response (CORS) simply turns the fast path off for that request.
 */
export function plainResponse(
  c: Context<AppEnv>,
  body: string | Uint8Array | null,
  headers: Record<string, string>,
  status: 200 | 304 = 200,
): Response {
  // Object.assign, not a spread: V8 turns a spread copy of this object into a dictionary-mode
  // object, which makes every header the later middleware add a slow dictionary insert.
  const plain = Object.assign({}, headers);
  const response = new Response(body, { status, headers: plain });
  if (responsesKeepPlainHeaders()) c.set("plainResponse", { response, headers: plain });
  return response;
}

/** Headers that describe a body, which a 304 does not have (RFC 9110 15.4.5). */
const BODY_HEADERS = new Set(["content-type", "content-length", "content-encoding", "transfer-encoding"]);

/** 304 Not Modified for a page whose 200 would carry `headers` (ETag included), without a body. */
export function notModified(c: Context<AppEnv>, headers: Record<string, string>): Response {
  const kept: Record<string, string> = {};
  for (const name in headers) if (!BODY_HEADERS.has(name)) kept[name] = headers[name]!;
  return plainResponse(c, null, kept, 304);
}

/**
 * Adds response headers after the handler ran: into the plain header object of a response
 * answered from memory while it is still the response (see PlainResponse), otherwise on
 * `c.res.headers`. Not c.header(), which would rebuild the Response around a body stream.
 * Values are ours (ids, numbers, fixed policies), so they need no validation.
 */
export function setResponseHeaders(c: Context<AppEnv>, headers: Iterable<readonly [string, string]>): void {
  const plain = c.get("plainResponse");
  if (plain && plain.response === c.res) {
    for (const [name, value] of headers) plain.headers[name.toLowerCase()] = value;
    return;
  }
  for (const [name, value] of headers) c.res.headers.set(name, value);
}
