import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Database, Db } from "./database.ts";
import { migrationsFolder } from "./migrations-path.ts";
import { observePgClient, type QueryObserver } from "./query-observer.ts";
import * as pgSchema from "./schema/pg.ts";
import { TransactionScope } from "./transaction-scope.ts";

export interface PostgresOptions {
  url: string;
  /** Pool size per process. */
  max?: number;
  /**
   * How long a query may wait for a connection. Kept short so that callers get a
   * clear 503 quickly when the server is gone, instead of hanging.
   */
  connectionTimeoutMs?: number;
  migrate?: boolean;
  onPoolError?: (error: Error) => void;
  /** Called with the duration of every statement (metrics). */
  onQuery?: QueryObserver;
}

/** `postgres://user:secret@host/db` without the secret, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it kills the process.
  pool.on("error", (error) => options.onPoolError?.(error));
  const { onQuery } = options;
  if (onQuery) pool.on("connect", (client) => observePgClient(client as never, onQuery));
  const db = drizzle(pool, { schema: pgSchema }) as unknown as Db;
  if (options.migrate) await migrate(db as never, { migrationsFolder: migrationsFolder("postgres") });

  const scope = new TransactionScope<Db>();
  return {
    dialect: "postgres",
    label: redactUrl(options.url),
    db,
    schema: pgSchema,
    transaction: (fn) => scope.run((body) => db.transaction((tx) => body(tx as unknown as Db)), fn),
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      await pool.end();
    },
  };
}
