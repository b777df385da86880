import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle as drizzleProxy, SQLiteProxyTransaction } from "drizzle-orm/sqlite-proxy";
import type { Database, Db, Schema } from "../database.ts";
import { guardHandle } from "../guarded-handle.ts";
import { migrationsFolder as committedMigrations } from "../migrations-path.ts";
import { idEndsWithFor, textSearchFor, utcDayFor } from "../queries.ts";
import { observeSync, type QueryObserver, type StatementTracer } from "../query-observer.ts";
import * as sqliteSchema from "../schema/sqlite.ts";
import { type BusyRetryPolicy, retryWhileBusy } from "./busy-retry.ts";
import { SqliteGate } from "./gate.ts";
import { migrateSqlite } from "./migrate-sqlite.ts";
import { preparedOnSharedConnection } from "./prepared-fast-path.ts";

type Method = "run" | "all" | "values" | "get";
const STATEMENT_CACHE_SIZE = 256;

export interface SqliteOptions {
  /** `:memory:` or a file path. */
  path: string;
  migrate?: boolean;
  /** Where the migrations are; the committed ones by default (tests pass their own). */
  migrationsFolder?: string;
  /** How long and how often a write retries while another process holds the lock. */
  busyRetry?: BusyRetryPolicy;
  /** Called with the duration of every statement (metrics). */
  onQuery?: QueryObserver;
  /** Starts a trace span per statement (tracing). */
  traceStatement?: StatementTracer;
}

/** Opening and migrating may wait for another process's lock: it happens once, before serving. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

export function openSqlite({
  path,
  migrate = true,
  migrationsFolder,
  busyRetry,
  onQuery,
  traceStatement,
}: SqliteOptions): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path);
  try {
    connection.pragma("journal_mode = WAL");
    connection.pragma("foreign_keys = ON");
    connection.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
    connection.pragma("synchronous = NORMAL");
    // Savepoints (SqliteGate gives each grouped transaction one) journal the pages they change;
    // in memory that costs a third of what a temporary file does. Our statements are small.
    connection.pragma("temp_store = MEMORY");
    // Checkpoint every ~40 MB of WAL instead of every ~4 MB: a checkpoint copies each page's
    // latest version once (hot pages are rewritten by every order) and fsyncs, so fewer, larger
    // checkpoints do much less I/O. The WAL file on disk may grow to that size.
    connection.pragma("wal_autocheckpoint = 10000");
    if (migrate) migrateSqlite(connection, migrationsFolder ?? committedMigrations("sqlite"));
    // From here on a lock is waited for asynchronously (busy-retry.ts), never inside a call.
    connection.pragma("busy_timeout = 0");
  } catch (error) {
    connection.close(); // a half-opened database must not keep the file locked
    throw error;
  }

  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      // Drizzle's proxy driver wants rows as arrays. Set once here rather than on every run:
      // raw() is a call into the native addon, and only statements that return rows accept it.
      if (statement.reader) statement.raw(true);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };

  // Own commits, for changeCounter: data_version only moves for other connections' commits.
  let ownCommits = 0;
  const execute = observeSync(
    (sql: string, params: unknown[], method: Method): { rows: unknown[] } => {
      const statement = prepare(sql);
      if (!statement.reader) {
        statement.run(...params);
        if (!connection.inTransaction) ownCommits += 1;
        return { rows: [] };
      }
      if (method === "get") return { rows: statement.get(...params) as unknown[] };
      return { rows: statement.all(...params) };
    },
    onQuery,
    traceStatement,
  );

  // The proxy driver is async end to end, which lets the gate hold foreign queries
  // back while a transaction awaits. The final check and the statement run in the
  // same synchronous step, so nothing can begin in between.
  // A statement outside a transaction that meets another process's write lock waits and retries.
  const drizzleDb = drizzleProxy(
    (sql, params, method) =>
      retryWhileBusy(async () => {
        for (let wait = gate.blocker(); wait; wait = gate.blocker()) await wait;
        return execute(sql, params, method);
      }, busyRetry),
    { schema: sqliteSchema },
  );
  const db = guardHandle(drizzleDb, { open: true }) as unknown as Db;

  // Transactions are begun and ended by the gate (it groups their commits), so their handle is
  // a plain drizzle transaction object on the same session: every statement still goes through
  // the callback above.
  // Each transaction gets its own guarded view of it, which refuses queries once its callback returned.
  const internals = drizzleDb as unknown as { dialect: never; session: { schema: never } };
  const tx = new SQLiteProxyTransaction(
    "async",
    internals.dialect,
    internals.session as never,
    internals.session.schema,
  );
  const statement = (sql: string) => () => void execute(sql, [], "run");
  const gate = new SqliteGate<Db>({
    tx: tx as unknown as Db,
    busyRetry,
    openHandle() {
      const state = { open: true };
      return { tx: guardHandle(tx, state) as unknown as Db, end: () => void (state.open = false) };
    },
    begin: statement("begin immediate"),
    commit: statement("commit"),
    rollback: statement("rollback"),
    savepoint: statement("savepoint cartwheel_tx"),
    releaseSavepoint: statement("release savepoint cartwheel_tx"),
    rollbackToSavepoint: statement("rollback to savepoint cartwheel_tx"),
    inTransaction: () => connection.inTransaction,
  });

  const dataVersion = connection.prepare("pragma data_version").pluck();

  return {
    dialect: "sqlite",
    label: path === ":memory:" ? "sqlite::memory:" : `sqlite:${path}`,
    db,
    reader: db,
    schema: sqliteSchema as unknown as Schema,
    prepared: (build) =>
      preparedOnSharedConnection(db, build, (sql, params, method) =>
        gate.blocker() ? null : execute(sql, params, method),
      ),
    textSearch: textSearchFor("sqlite"),
    idEndsWith: idEndsWithFor("sqlite"),
    utcDay: utcDayFor("sqlite"),
    changeCounter: () => (dataVersion.get() as number) + ownCommits,
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const joined = gate.current();
      return joined ? fn(joined) : gate.transaction(fn);
    },
    async ping() {
      for (let wait = gate.blocker(); wait; wait = gate.blocker()) await wait;
      connection.prepare("select 1").get();
    },
    async close() {
      connection.close();
    },
  };
}
