import { fillPlaceholders } from "drizzle-orm";
import type { Db } from "../database.ts";
import { hasEnded } from "../guarded-handle.ts";
import type { Executable, PreparedQuery } from "../prepared.ts";
import { DatabaseQueryError, TransactionEndedError } from "../query-errors.ts";
import { isBusy } from "./busy-retry.ts";

/** Runs one statement on the SQLite connection now, or returns null while a transaction of another context holds it. */
export type SqliteRunNow = (
  sql: string,
  params: unknown[],
  method: "run" | "all" | "get" | "values",
) => { rows: unknown[] } | null;

/** The parts of drizzle's SQLite proxy prepared query the fast path below uses. */
interface ProxyPrepared<R> extends Executable<R> {
  query?: { sql: string; params: unknown[] };
  method?: "run" | "all" | "get" | "values";
  mapAllResult?(rows: unknown[]): unknown;
  mapGetResult?(row: unknown): unknown;
}

/**
 * SQLite: build the query once on `db` and keep drizzle's prepared form. Every statement on
 * the one connection, transactional or not, goes through the same gate (the SqliteGate tells
 * a transaction's own statements from others by async context), so the prepared form is
 * valid inside any transaction. Skipping the builder saves most of the per-statement CPU on
 * the single-threaded server.
 *
 * When the gate lets the caller through, the statement also runs at once through `runNow`
 * instead of drizzle's async proxy chain (half a dozen promises per statement, each paying for
 * the async hooks AsyncLocalStorage enables): same SQL, same placeholder filling and row
 * mapping, same DatabaseQueryError on failure. Otherwise (and when another process holds the
 * write lock) it waits in drizzle's path as usual. `db` is the guarded handle, so that path
 * sanitises errors too; a `tx` whose transaction has ended is refused here.
 */
export function preparedOnSharedConnection<R>(
  db: Db,
  build: (db: Db) => Executable<R>,
  runNow: SqliteRunNow,
): PreparedQuery<R> {
  let prepared: ProxyPrepared<R> | undefined;
  return (tx, values) => {
    if (hasEnded(tx)) return Promise.reject(new TransactionEndedError());
    prepared ??= (build(db) as unknown as { prepare(): ProxyPrepared<R> }).prepare();
    const { query, method } = prepared;
    if (!query || !method || !prepared.mapAllResult || !prepared.mapGetResult) return prepared.execute(values);
    const params = fillPlaceholders(query.params, values);
    let result: { rows: unknown[] } | null;
    try {
      result = runNow(query.sql, params, method);
    } catch (error) {
      if (isBusy(error)) return prepared.execute(values);
      return Promise.reject(new DatabaseQueryError(query.sql, error));
    }
    if (!result) return prepared.execute(values);
    if (method === "all") return Promise.resolve(prepared.mapAllResult(result.rows) as R);
    if (method === "get") return Promise.resolve(prepared.mapGetResult(result.rows) as R);
    return Promise.resolve((method === "values" ? result.rows : result) as R);
  };
}
