import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Executable, PreparedQuery } from "./prepared.ts";
import type * as pgSchema from "./schema/pg.ts";

/** The tables, typed once. At run time they belong to whichever dialect is open. */
export type Schema = typeof pgSchema;

/**
 * The query builder domain code sees. Both dialects are typed through the PostgreSQL
 * builder; the SQLite one is driven through the same subset (select/insert/update/
 * delete with `.returning()`), which the contract tests exercise on every backend.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly dialect: Dialect;
  /** Describes the backend for logs and /ready, without credentials. */
  readonly label: string;
  /** The primary: writes, and reads that must see the caller's own writes. */
  readonly db: Db;
  /**
   * Reads that may lag behind the primary by replication delay (the public catalog).
   * Its selects go to a read replica when DATABASE_READ_URLS names some; anything else
   * it is asked to do still goes to the primary. Without replicas (and on SQLite) it is `db`.
   */
  readonly reader: Db;
  readonly schema: Schema;
  /**
   * Runs `fn` atomically: a throw rolls everything back. Use the `tx` it receives for
   * every query inside. A nested call joins the open transaction.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * A query for a hot path, written once with `placeholder(name)` values and then run many
   * times with `run(tx, values)` (pass the `tx` you are in, or `db`). SQLite builds it once;
   * PostgreSQL builds it on each call's connection. Call this once (at service creation),
   * not per request. `$defaultFn` columns (ids, timestamps) would be evaluated only once
   * when built, so give them placeholders too.
   */
  prepared<R>(build: (db: Db) => Executable<R>): PreparedQuery<R>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /**
   * SQLite only: a number that changes whenever another connection (another process on the
   * same file) commits. Per-process caches compare it to notice writes they did not make.
   */
  readonly dataVersion?: () => number;
  close(): Promise<void>;
}
