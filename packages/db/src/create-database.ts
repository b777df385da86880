import { resolve } from "node:path";
import type { Database } from "./database.ts";
import { DEFAULT_DATABASE_URL, displayDatabaseUrl, parseDatabaseUrl } from "./database-url.ts";
import { errorLine } from "./error-line.ts";
import { openPostgres, type PostgresOptions } from "./open-postgres.ts";
import { openSqlite } from "./sqlite/open-sqlite.ts";

export interface CreateDatabaseOptions extends Omit<PostgresOptions, "url"> {
  /** Apply pending migrations on open. Defaults to true for SQLite, false for PostgreSQL. */
  migrate?: boolean;
}

/**
 * Opens the database named by a URL (see parseDatabaseUrl): a `pg` pool for PostgreSQL,
 * better-sqlite3 with WAL for a file, or a private in-memory SQLite database.
 */
export async function createDatabase(
  url: string = DEFAULT_DATABASE_URL,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  const target = parseDatabaseUrl(url);
  try {
    if (target.dialect === "postgres")
      return await openPostgres({ ...options, url, migrate: options.migrate ?? false });
    const path = target.inMemory ? target.path : resolve(target.path);
    return openSqlite({
      path,
      migrate: options.migrate ?? true,
      onQuery: options.onQuery,
      traceStatement: options.traceStatement,
    });
  } catch (error) {
    // Startup and CLI print this and exit: one line that names the database, no SQL dump.
    throw new Error(`Cannot open database ${displayDatabaseUrl(url)}: ${errorLine(error)}`, { cause: error });
  }
}
