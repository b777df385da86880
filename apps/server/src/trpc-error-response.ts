import type { ErrorShape } from "@cartwheel/api";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { Context } from "hono";
import type { AppEnv } from "./hono-env.ts";

/**
 * A gateway rejection (rate limit, body size, timeout, method) in the same JSON shape as a
 * tRPC error, so tRPC clients surface it as a TRPCClientError with `data.code`. One object
 * is enough for batch requests: the tRPC client applies it to every call in the batch.
 */
export function trpcErrorResponse(
  c: Context<AppEnv>,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const httpStatus = getHTTPStatusCodeFromError({ code } as never);
  const body: { error: ErrorShape } = {
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus, requestId: c.get("requestId") ?? null },
    },
  };
  return new Response(JSON.stringify(body), {
    status: httpStatus,
    headers: { "Content-Type": "application/json", ...headers },
  });
}
