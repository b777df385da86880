import { TRPCClientError } from "@trpc/client";

/**
 * Readers for the structured parts of tRPC errors. The server's errorFormatter adds
 * `fieldErrors` for validation failures and `details` for domain errors (e.g. stock
 * shortages); these helpers tolerate missing or differently-shaped data so the UI
 * degrades to the plain message instead of crashing.
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
  const data = dataOf(error);
  const raw = data?.fieldErrors ?? (isRecord(data?.zodError) ? data.zodError.fieldErrors : undefined);
  if (!isRecord(raw)) return {};
  const result: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(raw)) {
    const messages = (Array.isArray(value) ? value : [value]).filter((m): m is string => typeof m === "string");
    if (messages.length > 0) result[field] = messages;
  }
  return result;
}

export interface Shortage {
  productId: string;
  name: string | null;
  requested: number | null;
  available: number;
}

function toShortage(value: unknown): Shortage | null {
  if (!isRecord(value) || typeof value.productId !== "string") return null;
  const available = Number(value.available ?? value.availableStock ?? value.stock);
  if (!Number.isFinite(available)) return null;
  const requested = Number(value.requested ?? value.quantity);
  return {
    productId: value.productId,
    name: typeof value.name === "string" ? value.name : null,
    requested: Number.isFinite(requested) ? requested : null,
    available,
  };
}

/** The short lines of a stock CONFLICT, if the server named them. */
export function shortagesOf(error: unknown): Shortage[] {
  const data = dataOf(error);
  if (!data) return [];
  const details = isRecord(data.details) ? data.details : data;
  const list = details.shortages ?? details.shortfalls ?? details.lines;
  if (!Array.isArray(list)) return [];
  return list.map(toShortage).filter((s): s is Shortage => s !== null);
}
