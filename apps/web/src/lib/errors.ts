import { TRPCClientError } from "@trpc/client";

/**
 * Readers for the structured parts of tRPC errors, in the shape packages/api's
 * errorFormatter sends: `data.fieldErrors` (validation failures) and `data.details` of
 * domain errors (e.g. `{ shortages }` of insufficient_stock). An error without them (a
 * network failure, another code) reads as empty, so the UI falls back to the message.
 */

type ErrorData = Record<string, unknown>;

function dataOf(error: unknown): ErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return data && typeof data === "object" ? (data as ErrorData) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The tRPC error code, e.g. "UNAUTHORIZED", or null for network and non-tRPC errors. */
export function errorCode(error: unknown): string | null {
  const code = dataOf(error)?.code;
  return typeof code === "string" ? code : null;
}

export function httpStatusOf(error: unknown): number | null {
  const status = dataOf(error)?.httpStatus;
  return typeof status === "number" ? status : null;
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === "UNAUTHORIZED" || httpStatusOf(error) === 401;
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

/** Per-field messages from a validation failure: `{ email: ["Already registered"] }`. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const raw = dataOf(error)?.fieldErrors;
  if (!isRecord(raw)) return {};
  const result: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!Array.isArray(value)) continue;
    const messages = value.filter((m): m is string => typeof m === "string");
    if (messages.length > 0) result[field] = messages;
  }
  return result;
}

/** One line of an insufficient_stock CONFLICT (packages/commerce's Shortage). */
export interface Shortage {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

function isShortage(value: unknown): value is Shortage {
  return (
    isRecord(value) &&
    typeof value.productId === "string" &&
    typeof value.name === "string" &&
    typeof value.requested === "number" &&
    typeof value.available === "number"
  );
}

/** The short lines of a stock CONFLICT, from `data.details.shortages`. */
export function shortagesOf(error: unknown): Shortage[] {
  const details = dataOf(error)?.details;
  const list = isRecord(details) ? details.shortages : undefined;
  return Array.isArray(list) ? list.filter(isShortage) : [];
}
