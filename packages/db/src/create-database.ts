import { resolve } from "node:path";
import type { Database } from "./database.ts";
import { openPostgres, type PostgresOptions } from "./open-postgres.ts";
import { openSqlite } from "./open-sqlite.ts";

export const DEFAULT_DATABASE_URL = "file:./data/cartwheel.db";

export interface CreateDatabaseOptions extends Omit<PostgresOptions, "url"> {
  /** Apply pending migrations on open. Defaults to true for SQLite, false for PostgreSQL. */
  migrate?: boolean;
}

/**
 * Opens the database named by a URL:
 * - `postgres://` or `postgresql://`: a `pg` pool (production);
 * - `file:PATH`: better-sqlite3 with WAL (development; created on first use);
 * - `:memory:`: a private in-memory SQLite database (tests).
 */
export async function createDatabase(
  url: string = DEFAULT_DATABASE_URL,
  options: CreateDatabaseOptions = {},
): Promise<Database> {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return openPostgres({ ...options, url, migrate: options.migrate ?? false });
  }
  if (url === ":memory:")
    return openSqlite({ path: ":memory:", migrate: options.migrate ?? true, onQuery: options.onQuery });
  if (url.startsWith("file:")) {
    return openSqlite({
      path: resolve(url.slice("file:".length)),
      migrate: options.migrate ?? true,
      onQuery: options.onQuery,
    });
  }
  throw new Error(
    `DATABASE_URL must start with postgres://, postgresql:// or file:, or be :memory: (got "${url.split(":")[0]}:…")`,
  );
}
