import type { Column, SQL, Subquery } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgSelectBase, PgTable, SelectedFields } from "drizzle-orm/pg-core";
import type { PgViewBase } from "drizzle-orm/pg-core/view-base";
import type { PgSelectWithout } from "drizzle-orm/pg-core/query-builders/select.types";
import type { GetSelectTableName, GetSelectTableSelection } from "drizzle-orm/query-builders/select.types";
import type { ChangeFeed } from "./change-feed.ts";
import type { PlaceOrderInOneStatement } from "./postgres-placement.ts";
import type { Executable, PreparedQuery } from "./prepared.ts";
import type * as pgSchema from "./schema/pg.ts";

/** The tables, typed once. At run time they belong to whichever dialect is open. */
export type Schema = typeof pgSchema;

type PgDb = PgDatabase<PgQueryResultHKT, Schema>;

/** Select methods only PostgreSQL has: row locks (`for update`); SQLite locks the whole database. */
type PgOnlySelectMethods = "for";

/** `db.select(…)` of the portable subset: its `from(…)` starts a select chain without PostgreSQL-only methods. */
export interface PortableSelectBuilder<TSelection extends SelectedFields | undefined> {
  from<TFrom extends PgTable | Subquery | PgViewBase | SQL>(
    source: TFrom,
  ): PgSelectWithout<
    PgSelectBase<
      GetSelectTableName<TFrom>,
      TSelection extends undefined ? GetSelectTableSelection<TFrom> : TSelection,
      TSelection extends undefined ? "single" : "partial"
    >,
    false,
    PgOnlySelectMethods
  >;
}

/**
 * The query builder domain code sees: the subset both dialects run the same way, and no more.
 * It is written with drizzle's PostgreSQL types (one schema type for both dialects), but only
 * select/insert/update/delete are present, and a select chain has no `.for(…)`, so a
 * PostgreSQL-only builder (`selectDistinctOn`, `execute`, row locks) does not compile
 * (test/portable-db.test-d.ts). At run time on SQLite these are drizzle's SQLite builders,
 * which the contract tests exercise on every backend.
 */
export interface Db {
  select(): PortableSelectBuilder<undefined>;
  select<TSelection extends SelectedFields>(fields: TSelection): PortableSelectBuilder<TSelection>;
  insert: PgDb["insert"];
  update: PgDb["update"];
  delete: PgDb["delete"];
}

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
   * every query inside, and await them all: once `fn` has returned, `tx` refuses queries
   * (TransactionEndedError). A nested call joins the open transaction.
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
  /**
   * PostgreSQL only: order placement as one autocommit statement (postgres-placement.ts), so
   * the hot product row stays locked for one statement rather than a transaction's round trips.
   * Inside a `transaction` callback it joins that transaction, as a nested call does.
   * Absent on SQLite, whose in-process transactions have no round trips to save.
   */
  readonly placeOrderInOneStatement?: PlaceOrderInOneStatement;
  /** Case-insensitive substring match of `text` (taken literally, no wildcards) in `column`. */
  textSearch(column: Column, text: string): SQL;
  /** Ids in `column` ending in `suffix`, 8 to 12 lowercase hex digits (short order ids, decision 020). */
  idEndsWith(column: Column, suffix: string): SQL;
  /** The UTC calendar day (`YYYY-MM-DD`) of a timestamp column, for GROUP BY day (queries.ts utcDayFor). */
  utcDay(column: Column | SQL): SQL<string>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /**
   * A number that changes after writes commit, for per-process caches to notice them.
   * SQLite: commits by any connection to the file (other processes too) and this one's own.
   * PostgreSQL: this process's own committed writes only; other instances' writes arrive
   * through `changeFeed` instead.
   */
  readonly changeCounter: () => number;
  /**
   * Other processes' committed catalog writes, as they commit (PostgreSQL LISTEN/NOTIFY, see
   * change-feed.ts). Absent on SQLite, where `changeCounter` already sees every writer of the
   * file, and on PGlite, which only this process can open.
   */
  readonly changeFeed?: ChangeFeed;
  /**
   * Committed inserts into order_events by any process (PostgreSQL LISTEN/NOTIFY, see
   * change-feed.ts ORDER_EVENTS_FEED), for the live order stream. Absent where only this
   * process writes (SQLite as the server opens it, PGlite).
   */
  readonly orderEventFeed?: ChangeFeed;
  close(): Promise<void>;
}
