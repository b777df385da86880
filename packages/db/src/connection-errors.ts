// Classifies driver errors that mean "the database cannot be reached right now", so the API
// can answer 503 SERVICE_UNAVAILABLE (retry later) instead of 500 (a bug).
import { TransactionRetryError } from "./query-errors.ts";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections. */
const POSTGRES_UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** SQLite: locked beyond busy_timeout, or the file cannot be opened/read. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|CANTOPEN|IOERR)/;

/** node-postgres and pg-pool report lost or refused connections with these messages. */
const POSTGRES_CONNECTION_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Cannot use a pool after calling end",
  "Connection refused",
];

function isUnavailableOne(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if (error instanceof TransactionRetryError) return true; // nothing persisted; a retry is expected to work
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE_CODES.has(code)) return true;
    if (code.startsWith("08")) return true; // SQLSTATE class 08: connection exception
    if (SQLITE_UNAVAILABLE.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message !== "string") return false;
  return (
    POSTGRES_CONNECTION_MESSAGES.some((text) => message.includes(text)) ||
    message === "The database connection is not open"
  );
}

/**
 * True when `error`, anything in its `cause` chain, or any member of an AggregateError
 * (dual-stack connects) says the database is unreachable or overloaded. Drizzle wraps
 * driver errors in DrizzleQueryError, hence the chain walk.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    if (isUnavailableOne(current)) return true;
    if (typeof current === "object") {
      pending.push((current as { cause?: unknown }).cause);
      const errors = (current as { errors?: unknown }).errors;
      if (Array.isArray(errors)) pending.push(...errors);
    }
  }
  return false;
}
