import { TRPCClientError } from "@trpc/client";

/** A TRPCClientError shaped like the server's errorFormatter output. */
export function apiError(code: string, httpStatus: number, message: string, data: Record<string, unknown> = {}) {
  return TRPCClientError.from({
    error: { message, code: -32000, data: { code, httpStatus, requestId: "req-1", ...data } },
  });
}
