import { type Column, sql } from "drizzle-orm";
import type { Db } from "./database.ts";

/** Values for the `placeholder(name)`s of a prepared query, by name. */
export type PlaceholderValues = Record<string, unknown>;

/** A drizzle query (select / insert / update / delete, built with placeholders) that can run with values. */
export interface Executable<R> {
  execute(values?: PlaceholderValues): Promise<R>;
}

/** Runs a prepared query inside the given transaction (or on `db`) with the placeholders' values. */
export type PreparedQuery<R> = (tx: Db, values: PlaceholderValues) => Promise<R>;

/**
 * `sql.placeholder(name)` typed as a value of `column`, so it can go anywhere such a value
 * goes (`.set({ updatedAt: placeholder(t.updatedAt, "at") })` too, which drizzle's types only
 * allow for insert values). Drizzle still encodes the value through the column it lands in
 * (timestamps, JSON) when it is filled in, as it does for a literal.
 */
export const placeholder = <C extends Column>(_column: C, name: string) =>
  sql.placeholder(name) as unknown as C["_"]["data"];

/**
 * PostgreSQL: a pooled transaction runs on its own connection, so a query must be built on
 * the `tx` it belongs to; placeholders are filled in as for SQLite. (No named server-side
 * statements: they are per connection and break behind transaction-pooling proxies.)
 */
export function preparedPerTransaction<R>(build: (db: Db) => Executable<R>): PreparedQuery<R> {
  // async: a handle that refuses to run (its transaction ended) rejects rather than throws.
  return async (tx, values) => build(tx).execute(values);
}
