import type { ChangeFeed } from "./change-feed.ts";
import type { Database, Db } from "./database.ts";
import { guardHandle } from "./guarded-handle.ts";
import { sanitizeQueryError } from "./query-errors.ts";
import { placeOrderOn } from "./postgres-placement.ts";
import { preparedPerTransaction } from "./prepared.ts";
import { idEndsWithFor, textSearchFor, utcDayFor } from "./queries.ts";
import * as pgSchema from "./schema/pg.ts";
import { TransactionScope } from "./transaction-scope.ts";

/** Statements that cannot change data, so they leave the change counter alone. */
const READ_ONLY = /^\s*select\b/i;

interface PostgresParts {
  label: string;
  /** A drizzle node-postgres or PGlite database on the primary. */
  primary: object;
  /** Drizzle databases on the read replicas (none for PGlite). */
  replicas?: readonly object[];
  /** Routes selects to the replicas (drizzle's withReplicas); called with the guarded handles. */
  withReplicas?: (primary: Db, replicas: Db[]) => Db;
  /** Other instances' writes (node-postgres only). */
  changeFeed?: ChangeFeed;
  /** Other instances' committed order events (node-postgres only). */
  orderEventFeed?: ChangeFeed;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** The Database of both PostgreSQL drivers: guarded handles, joined transactions, the change counter. */
export function postgresDatabase(parts: PostgresParts): Database {
  // Per process: counts this process's own writes (see Database.changeCounter).
  let changes = 0;
  const countWrite = (sql: string) => {
    if (!READ_ONLY.test(sql)) changes += 1;
  };
  const db = guardHandle(parts.primary, { open: true, afterStatement: countWrite }) as unknown as Db;
  const replicas = (parts.replicas ?? []).map((replica) => guardHandle(replica, { open: true }) as unknown as Db);
  const reader = replicas.length > 0 && parts.withReplicas ? parts.withReplicas(db, replicas) : db;
  const primary = parts.primary as { transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> };
  const scope = new TransactionScope<Db>(() => (changes += 1));
  return {
    dialect: "postgres",
    label: parts.label,
    db,
    reader,
    schema: pgSchema,
    prepared: preparedPerTransaction,
    // Joins a transaction open in the caller's context, as a nested `transaction` call does.
    placeOrderInOneStatement: (request) => placeOrderOn(scope.current() ?? db, request),
    textSearch: textSearchFor("postgres"),
    idEndsWith: idEndsWithFor("postgres"),
    utcDay: utcDayFor("postgres"),
    // Drizzle's own handle runs BEGIN and COMMIT; the callback gets a guarded one. A failed
    // COMMIT (or BEGIN) is a query error like any other, so it is sanitised too.
    transaction: (fn) =>
      scope.run(
        (body) =>
          primary.transaction(body).catch((error: unknown) => {
            throw sanitizeQueryError(error);
          }),
        fn,
      ),
    changeCounter: () => changes,
    ...(parts.changeFeed && { changeFeed: parts.changeFeed }),
    ...(parts.orderEventFeed && { orderEventFeed: parts.orderEventFeed }),
    ping: parts.ping,
    close: parts.close,
  };
}
