import { isTRPCClientError } from "@trpc/client";

/**
 * True when the request never got an HTTP answer (DNS, refused connection, reset, timeout).
 * Only these are worth retrying blindly; an answer, even an error, is the server's verdict.
 */
export function isNetworkError(error: unknown): boolean {
  if (!isTRPCClientError(error)) return false;
  if (error.shape !== undefined || error.data !== undefined) return false;
  const cause = error.cause;
  if (!(cause instanceof Error)) return false;
  if (cause.name === "AbortError") return false;
  // undici reports every transport failure as `TypeError: fetch failed` with the socket error as cause.
  return cause.name === "TypeError" || "code" in cause;
}

/** The tRPC error code (e.g. "UNAUTHORIZED") of a server answer, if it was one. */
export function errorCode(error: unknown): string | undefined {
  if (!isTRPCClientError(error)) return undefined;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "code" in data && typeof data.code === "string") return data.code;
  return undefined;
}
