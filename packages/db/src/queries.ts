// The few places where SQL differs between the dialects. Domain code calls these
// instead of reaching for dialect-specific operators.
import { type Column, type SQL, sql } from "drizzle-orm";
import type { Dialect } from "./database.ts";

/** Escapes LIKE wildcards so user input matches literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Case-insensitive substring match; Database.textSearch binds it to the open dialect. */
function containsText(dialect: Dialect, column: Column, text: string): SQL {
  return dialect === "postgres"
    ? sql`${column} ilike ${likePattern(text)} escape '\\'`
    : sql`lower(${column}) like lower(${likePattern(text)}) escape '\\'`;
}

/** The text search of one dialect, for Database.textSearch. */
export const textSearchFor =
  (dialect: Dialect) =>
  (column: Column, text: string): SQL =>
    containsText(dialect, column, text);

/** Where an id's last 8 hex digits start in its text form (the expression of orders_short_id_idx). */
const SHORT_ID_START = 29;
const HEX_SUFFIX = /^[0-9a-f]{8,12}$/;

/**
 * Ids ending in `suffix` (8 to 12 lowercase hex digits): the last 8 through the expression
 * index, any longer part by a LIKE on those few rows. Database.idEndsWith binds it.
 */
export const idEndsWithFor =
  (dialect: Dialect) =>
  (column: Column, suffix: string): SQL => {
    if (!HEX_SUFFIX.test(suffix)) throw new RangeError("an id suffix is 8 to 12 lowercase hex digits");
    const text = dialect === "postgres" ? sql`${column}::text` : sql`${column}`;
    const shortId = sql`substr(${text}, ${sql.raw(String(SHORT_ID_START))}) = ${suffix.slice(-8)}`;
    return suffix.length === 8 ? shortId : sql`(${shortId} and ${text} like ${`%${suffix}`})`;
  };

/**
 * The UTC calendar day (`YYYY-MM-DD`) of a timestamp column, for grouping by day;
 * Database.utcDay binds it. PostgreSQL stores timestamptz; SQLite integer milliseconds.
 */
export const utcDayFor =
  (dialect: Dialect) =>
  (column: Column | SQL): SQL<string> =>
    dialect === "postgres"
      ? sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

/** True when `error` (or its cause) is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  }
  return false;
}

/** True when `error` (or its cause) is a CHECK-constraint violation on either dialect. */
export function isCheckViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "23514" || code === "SQLITE_CONSTRAINT_CHECK") return true;
  }
  return false;
}

/** True when `error` (or its cause) is a foreign-key violation on either dialect. */
export function isForeignKeyViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY") return true;
  }
  return false;
}
