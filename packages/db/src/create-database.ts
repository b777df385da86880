import { resolve } from "node:path";
import type { Database } from "./database.ts";
import { errorLine } from "./error-line.ts";
import { openPostgres, type PostgresOptions, redactUrl } from "./open-postgres.ts";
import { openSqlite } from "./sqlite/open-sqlite.ts";

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
  const open = opener(url, options);
  try {
    return await open();
  } catch (error) {
    // Startup and CLI print this and exit: one line that names the database, no SQL dump.
    throw new Error(`Cannot open database ${isPostgresUrl(url) ? redactUrl(url) : url}: ${errorLine(error)}`, {
      cause: error,
    });
  }
}

const isPostgresUrl = (url: string) => url.startsWith("postgres://") || url.startsWith("postgresql://");

function opener(url: string, options: CreateDatabaseOptions): () => Promise<Database> {
  if (isPostgresUrl(url)) {
    return () => openPostgres({ ...options, url, migrate: options.migrate ?? false });
  }
  const migrate = options.migrate ?? true;
  if (url === ":memory:") return async () => openSqlite({ path: ":memory:", migrate, onQuery: options.onQuery });
  if (url.startsWith("file:")) {
    const path = resolve(url.slice("file:".length));
    return async () => openSqlite({ path, migrate, onQuery: options.onQuery });
  }
  throw new Error(
    `DATABASE_URL must start with postgres://, postgresql:// or file:, or be :memory: (got "${url.split(":")[0]}:…")`,
  );
}
