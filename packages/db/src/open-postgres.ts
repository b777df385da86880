import { drizzle } from "drizzle-orm/node-postgres";
import { withReplicas } from "drizzle-orm/pg-core";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Database, Db, Schema } from "./database.ts";
import { ORDER_EVENTS_FEED, postgresChangeFeed } from "./change-feed.ts";
import { migrationsFolder } from "./migrations-path.ts";
import { postgresDatabase } from "./postgres-database.ts";
import { postgresTls } from "./postgres-tls.ts";
import { observePgClient, type QueryObserver, type StatementTracer } from "./query-observer.ts";
import { redactUrl } from "./database-url.ts";
import * as pgSchema from "./schema/pg.ts";

export interface PostgresOptions {
  url: string;
  /**
   * Where the change feed's LISTEN connection goes (DATABASE_LISTEN_URL); defaults to `url`.
   * Set it when `url` goes through a transaction-mode pooler (see change-feed.ts).
   */
  listenUrl?: string;
  /** Read replicas (DATABASE_READ_URLS): `reader` sends its selects to one of them at random. */
  readUrls?: readonly string[];
  /** Pool size per process (and per replica). */
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
  /** Starts a trace span per statement (tracing). */
  traceStatement?: StatementTracer;
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = openPool(options.url, options);
  const replicaPools = (options.readUrls ?? []).map((url) => openPool(url, options));
  const db = drizzle(pool, { schema: pgSchema });
  if (options.migrate) {
    try {
      // The explicit schema type spares the compiler inferring it from drizzle's database type,
      // an intersection it walks member by member (~270k type instantiations).
      await migrate<typeof pgSchema>(db, { migrationsFolder: migrationsFolder("postgres") });
    } catch (error) {
      await Promise.all([pool, ...replicaPools].map((p) => p.end())); // else the open pools keep a failed CLI run alive
      throw error;
    }
  }

  // Connects only once a cache subscribes: the CLI and migrations never open it.
  const changeFeed = postgresChangeFeed({ url: options.listenUrl ?? options.url });
  const orderEventFeed = postgresChangeFeed({ url: options.listenUrl ?? options.url, source: ORDER_EVENTS_FEED });
  return postgresDatabase({
    label: redactUrl(options.url) + (replicaPools.length ? ` (+${replicaPools.length} read replicas)` : ""),
    primary: db,
    replicas: replicaPools.map((p) => drizzle(p, { schema: pgSchema })),
    // withReplicas routes select/$count/with/query to a replica and everything else to the primary.
    withReplicas: (primary, [first, ...more]) =>
      withReplicas(primary as unknown as PgDb, [
        first as unknown as PgDb,
        ...(more as unknown as PgDb[]),
      ]) as unknown as Db,
    async ping() {
      // A dead replica fails catalog reads, so it makes the instance unready too.
      await Promise.all([pool, ...replicaPools].map((p) => p.query("select 1")));
    },
    changeFeed,
    orderEventFeed,
    async close() {
      changeFeed.close();
      orderEventFeed.close();
      await Promise.all([pool, ...replicaPools].map((p) => p.end()));
    },
  });
}

type PgDb = PgDatabase<PgQueryResultHKT, Schema>;

function openPool(url: string, options: PostgresOptions): pg.Pool {
  // sslmode with libpq's meaning (see postgres-tls.ts), not pg-connection-string's.
  const { connectionString, ssl } = postgresTls(url);
  const pool = new pg.Pool({
    connectionString,
    ssl,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    // Detects a server that vanished without closing the socket (host down, network cut),
    // so pooled clients are dropped instead of hanging on a dead connection.
    keepAlive: true,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it kills the process.
  pool.on("error", (error) => options.onPoolError?.(error));
  // A checked-out client (inside a transaction) has no pool listener: its server going away
  // between two statements would emit an unhandled 'error' on the client and kill the
  // process. The caller still sees the failure (the next statement rejects, classified as
  // unavailable) and the pool discards the broken client on release, so this only keeps us up.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const { onQuery, traceStatement } = options;
  if (onQuery || traceStatement)
    pool.on("connect", (client) => observePgClient(client as never, onQuery, traceStatement));
  return pool;
}
