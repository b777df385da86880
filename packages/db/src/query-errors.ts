// Errors that leave this package never carry a query's parameter values: they end up in log
// lines (a failed insert of a user carries its password hash), and whoever logs them cannot
// know which fields hold values. Drizzle's DrizzleQueryError puts the parameters in its message
// and in `params`; PostgreSQL puts row values in `detail` ("Key (email)=(x@y) already exists"),
// `where` and, for data exceptions, the message itself. What stays is what diagnoses the
// failure: the SQL text, the driver's code, and the constraint, table and column names.
import { DrizzleQueryError } from "drizzle-orm";

/** Driver error fields that name things (never values), copied onto the sanitised error. */
const NAMING_FIELDS = ["code", "errno", "severity", "constraint", "table", "column", "schema", "dataType", "routine"];

/** A statement failed. `cause` is the driver's error without value-bearing fields. */
export class DatabaseQueryError extends Error {
  override readonly name = "DatabaseQueryError";
  readonly sql: string;
  /** The driver's code: a PostgreSQL SQLSTATE (`23505`) or a SQLite code (`SQLITE_CONSTRAINT_UNIQUE`). */
  readonly code: string | undefined;
  readonly constraint: string | undefined;
  readonly table: string | undefined;

  constructor(sql: string, driverError: unknown) {
    const cause = withoutValues(driverError);
    super(`Failed query: ${sql}`, { cause });
    this.sql = sql;
    const fields = (typeof cause === "object" && cause !== null ? cause : {}) as Record<string, unknown>;
    this.code = typeof fields.code === "string" ? fields.code : undefined;
    this.constraint = typeof fields.constraint === "string" ? fields.constraint : undefined;
    this.table = typeof fields.table === "string" ? fields.table : undefined;
  }
}

/**
 * SQLSTATE class 22 (data exception) messages quote the offending value:
 * `invalid input syntax for type uuid: "…"`. The type named before it is kept.
 */
const QUOTED_VALUE_TAIL = /:\s*".*$/s;

function safeMessage(message: string, code: unknown): string {
  return typeof code === "string" && code.startsWith("22") ? message.replace(QUOTED_VALUE_TAIL, "") : message;
}

/** A copy of a driver error with only its naming fields, its message without values, and its stack frames. */
function withoutValues(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error;
  if (error instanceof DrizzleQueryError) return new DatabaseQueryError(error.query, error.cause);
  if (error instanceof DatabaseQueryError) return error;
  const source = error as Error & Record<string, unknown>;
  const copy = new Error(safeMessage(error.message, source.code)) as Error & Record<string, unknown>;
  copy.name = error.name;
  for (const field of NAMING_FIELDS) if (source[field] !== undefined) copy[field] = source[field];
  if (error instanceof AggregateError) copy.errors = error.errors.map((item) => withoutValues(item, depth + 1));
  if (error.cause !== undefined) copy.cause = withoutValues(error.cause, depth + 1);
  const frames = error.stack?.indexOf("\n    at ") ?? -1;
  copy.stack = `${copy.name}: ${copy.message}${frames >= 0 ? error.stack!.slice(frames) : ""}`;
  return copy;
}

/** What a failed statement throws out of this package (see the file comment). */
export function sanitizeQueryError(error: unknown): unknown {
  if (error instanceof DrizzleQueryError) return new DatabaseQueryError(error.query, error.cause);
  if (error instanceof Error && error.cause instanceof DrizzleQueryError) {
    // Drizzle's SQLite `run()` wraps the query error once more ("Failed to run the query '…'").
    return new DatabaseQueryError(error.cause.query, error.cause.cause);
  }
  const fields = error as { detail?: unknown; where?: unknown } | null;
  return error instanceof Error && (fields?.detail !== undefined || fields?.where !== undefined)
    ? withoutValues(error)
    : error;
}

/** The error a transaction handle throws once its callback has returned. */
export class TransactionEndedError extends Error {
  override readonly name = "TransactionEndedError";
  constructor() {
    super(
      "This transaction has ended: its callback returned, so queries on its `tx` can no longer run " +
        "(they would run outside it, or inside another request's transaction). Await every query inside the callback.",
    );
  }
}

/**
 * A transaction could not commit, so none of its work persisted; trying again is expected to
 * succeed. The API answers it as SERVICE_UNAVAILABLE (retry later), as for a busy database.
 */
export class TransactionRetryError extends Error {
  override readonly name = "TransactionRetryError";
  readonly retryable = true;
  constructor(message: string, cause?: unknown) {
    super(message, { cause: withoutValues(cause) });
  }
}
