import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import type { AppEnv } from "../hono-env.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";

/** Bodies over `maxBytes` → 413, checked from Content-Length or while streaming. */
export function maxBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  const megabytes = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  const tooLarge = (c: Context<AppEnv>) =>
    trpcErrorResponse(c, "PAYLOAD_TOO_LARGE", `The request body is larger than ${megabytes} MB.`);
  const limit = bodyLimit({ maxSize: maxBytes, onError: (c) => tooLarge(c as never) });
  // GET/HEAD carry no body. Skipping them matters: reading `c.req.raw.body` makes
  // @hono/node-server build a full Request object (undici Request, web stream, AbortSignal),
  // which costs throughput on every call. For the same reason a body announced by
  // Content-Length is judged by that header alone, as bodyLimit itself does (the HTTP parser
  // never delivers more bytes than Content-Length says); only chunked bodies are counted.
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number.parseInt(declared, 10) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    }
    return limit(c, next);
  };
}

/**
 * Requests running longer than `ms` get a tRPC-shaped 504. The procedure itself is not
 * cancelled (JS cannot pre-empt it); the client is freed and the access log records it.
 */
export function requestTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return timeout(
    ms,
    (c) =>
      new HTTPException(504, {
        res: trpcErrorResponse(
          c as never,
          "GATEWAY_TIMEOUT",
          `The request took longer than ${Math.round(ms / 100) / 10} s and was abandoned. Retry, or narrow it.`,
        ),
      }),
  );
}
