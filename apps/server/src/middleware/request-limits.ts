import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import type { AppEnv } from "../hono-env.ts";
import { bodyBudget, type InputLimits, tooLargeMessage } from "../input-limits.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";
import { procedureNames } from "./access-log.ts";

/**
 * A body whose Content-Length exceeds the call's budget (input-limits.ts) → 413 before any
 * other work. The header is enough: the HTTP parser never delivers more bytes than it says.
 * Chunked bodies are counted as they are read (middleware/trpc-body.ts). GET/HEAD are skipped
 * without a look at the body: reading `c.req.raw.body` makes @hono/node-server build a full
 * Request object (undici Request, web stream, AbortSignal), which costs throughput on every call.
 */
export function maxBody(limits: InputLimits): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return next();
    const budget = bodyBudget(procedureNames(c.req.path), limits);
    if (Number.parseInt(declared, 10) <= budget) return next();
    return Promise.resolve(trpcErrorResponse(c, "PAYLOAD_TOO_LARGE", tooLargeMessage(budget)));
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
