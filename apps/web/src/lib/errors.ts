import type { CartwheelErrorData } from "@cartwheel/client";
import type { Shortage } from "@cartwheel/contracts/errors";
import { TRPCClientError } from "@trpc/client";

/**
 * Readers for the structured parts of tRPC errors, typed by the shape packages/api's error
 * formatter sends (`CartwheelErrorData`): `data.fieldErrors` (validation failures and
 * domain errors that name a field) and `data.details`, typed by `data.reason` (e.g.
 * `{ shortages }` of insufficient_stock). An error without them (a network failure, another
 * code) reads as empty, so the UI falls back to the message.
 */

export type { Shortage };

/** The server's `error.data`, or null for network and non-tRPC errors. */
function dataOf(error: unknown): CartwheelErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: CartwheelErrorData | undefined = error.data;
  return data ?? null;
}

/** The tRPC error code, e.g. "UNAUTHORIZED", or null for network and non-tRPC errors. */
export function errorCode(error: unknown): string | null {
  return dataOf(error)?.code ?? null;
}

/** The domain error's reason, e.g. "stale_version", or null for any other error. */
export function errorReason(error: unknown): string | null {
  return dataOf(error)?.reason ?? null;
}

export function httpStatusOf(error: unknown): number | null {
  return dataOf(error)?.httpStatus ?? null;
}

/** The server answers every 401 with code UNAUTHORIZED, so the code alone decides. */
export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === "UNAUTHORIZED";
}

/** A message fit to show a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!error.data && /fetch|network/i.test(error.message)) return "Cannot reach the server. Check your connection.";
    return error.message || "Something went wrong.";
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

/** Per-field messages: `{ email: ["An account with this email already exists."] }`. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return dataOf(error)?.fieldErrors ?? {};
}

/** The short lines of an insufficient_stock CONFLICT. */
export function shortagesOf(error: unknown): Shortage[] {
  const data = dataOf(error);
  return data?.reason === "insufficient_stock" ? data.details.shortages : [];
}
