import { isTRPCClientError } from "@trpc/client";
import type { CartwheelErrorShape } from "./generated/contract.ts";
import type { CartwheelRouter } from "./router.ts";

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

/** `error.data` of a server answer: a union discriminated on `reason` (see @cartwheel/api error-format.ts). */
export type CartwheelErrorData = CartwheelErrorShape["data"];
/** Every reason a domain error may carry, e.g. "insufficient_stock". */
export type ErrorReason = NonNullable<CartwheelErrorData["reason"]>;
type DetailsByReason = {
  [D in CartwheelErrorData as D["reason"] extends ErrorReason ? D["reason"] : never]: D["details"];
};
/** The `details` that come with `reason`, e.g. `{ shortages }` for "insufficient_stock". */
export type ErrorDetails<R extends ErrorReason> = DetailsByReason[R];

/** The server's `error.data`, if the error is a server answer. */
export function errorData(error: unknown): CartwheelErrorData | undefined {
  if (!isTRPCClientError<CartwheelRouter>(error)) return undefined;
  return error.data ?? undefined;
}

/** The details of a domain error with this reason, or undefined for any other error. */
export function errorDetails<R extends ErrorReason>(error: unknown, reason: R): ErrorDetails<R> | undefined {
  const data = errorData(error);
  // The reason matched, so these are its details; the compiler cannot follow R through the union.
  return data?.reason === reason ? (data.details as ErrorDetails<R>) : undefined;
}
