// Cross-instance change notification for per-process caches, on PostgreSQL LISTEN/NOTIFY.
//
// The notifying half is in the database: a statement trigger on `products` (migration
// 0003_catalog_change_notify) calls pg_notify inside every writing transaction, so a
// notification is delivered exactly when that transaction commits and never for a rollback,
// whichever code path (or psql session) wrote. The listening half is here: one dedicated
// `pg.Client` per process, outside the pool, because LISTEN belongs to a session and a pooled
// connection would be handed to other queries.
//
// LISTEN needs a session that stays one server connection. PgBouncer in transaction (or
// statement) pooling mode gives no such session: LISTEN through it silently receives nothing.
// Behind such a pooler, point DATABASE_LISTEN_URL straight at PostgreSQL (or at a
// session-mode pool); DATABASE_URL keeps going through the pooler.
import pg from "pg";
import { errorLine } from "./error-line.ts";
import { postgresTls } from "./postgres-tls.ts";

/** The channel the trigger notifies on; the migration spells the same name. */
export const CATALOG_CHANGE_CHANNEL = "cartwheel_catalog_changed";
/** The trigger that notifies (migration 0003); the feed checks it is there and enabled. */
export const CATALOG_CHANGE_TRIGGER = "products_notify_catalog_changed";

/**
 * The listener session's application_name, `cartwheel-change-feed:<pid>`, so operators (and
 * tests) find each instance's session in pg_stat_activity.
 */
export const CHANGE_FEED_APPLICATION_NAME = "cartwheel-change-feed";

export type ChangeFeedState = { listening: true } | { listening: false; reason: string };

/**
 * Tells a cache when others may have written. `onChange` runs after every committed write
 * to the catalog tables (by any process); `onStateChange` reports whether notifications are
 * arriving at all. While not listening, writes can go unseen: a cache must not serve, and
 * must start empty once listening resumes (writes in between were missed).
 */
export interface ChangeFeed {
  /** Starts listening (on first subscriber); returns the unsubscribe. Starts as not listening. */
  subscribe(onChange: () => void, onStateChange: (state: ChangeFeedState) => void): () => void;
}

export interface PostgresChangeFeedOptions {
  /** A direct connection to the primary (not through a transaction-mode pooler). */
  url: string;
  /** Reconnect delays: doubling from the first to the last, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How often the idle session is probed, so a silently dead connection is noticed. */
  heartbeatMs?: number;
  /**
   * What to listen for: a channel and the trigger on a table that notifies on it. Defaults
   * to the catalog's; the live order stream listens for order events (ORDER_EVENTS_FEED).
   */
  source?: NotifySource;
}

/** A channel, the trigger that notifies on it and the table it is on. */
export interface NotifySource {
  channel: string;
  trigger: string;
  table: string;
  /** Names the listening session in pg_stat_activity (with the process id). */
  applicationName: string;
}

const CATALOG_FEED: NotifySource = {
  channel: CATALOG_CHANGE_CHANNEL,
  trigger: CATALOG_CHANGE_TRIGGER,
  table: "products",
  applicationName: CHANGE_FEED_APPLICATION_NAME,
};

/** Committed inserts into order_events (migration 0009_order_event_sequence). */
export const ORDER_EVENTS_FEED: NotifySource = {
  channel: "cartwheel_order_events",
  trigger: "order_events_sequence",
  table: "order_events",
  applicationName: "cartwheel-order-feed",
};

/** The PostgreSQL change feed: one listening connection per process, reconnecting with backoff. */
export function postgresChangeFeed(options: PostgresChangeFeedOptions): ChangeFeed & { close(): void } {
  const retryMinMs = options.retryMinMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const source = options.source ?? CATALOG_FEED;
  const subscribers = new Set<{ onChange: () => void; onStateChange: (state: ChangeFeedState) => void }>();
  let state: ChangeFeedState = { listening: false, reason: "not connected yet" };
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let failures = 0;
  // The first outcome is reported even if it is a failure: a feed that never connects must say so.
  let reported = false;

  const report = (next: ChangeFeedState) => {
    if (reported && next.listening === state.listening) return;
    reported = true;
    state = next;
    for (const subscriber of subscribers) subscriber.onStateChange(next);
  };

  const stop = (current: pg.Client | undefined) => {
    clearInterval(heartbeat);
    heartbeat = undefined;
    if (current && client === current) client = undefined;
    current?.removeAllListeners("notification");
    current?.end().catch(() => undefined);
  };

  const lost = (current: pg.Client, error: unknown) => {
    if (client !== current) return; // already handled (error, then end)
    stop(current);
    report({ listening: false, reason: errorLine(error) });
    scheduleConnect();
  };

  const scheduleConnect = () => {
    if (subscribers.size === 0 || retryTimer) return;
    const base = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures, 16));
    failures += 1;
    // The first connection at once; every reconnection after a jittered, growing pause, so a
    // session that keeps being killed (or a server that keeps refusing) is not hammered.
    const delay = reported ? base / 2 + Math.random() * (base / 2) : 0;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
  };

  const connect = async () => {
    const { connectionString, ssl } = postgresTls(options.url);
    const current = new pg.Client({
      connectionString,
      ssl,
      application_name: `${source.applicationName}:${process.pid}`,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
    });
    client = current;
    current.on("error", (error) => lost(current, error));
    current.on("end", () => lost(current, new Error("connection ended")));
    current.on("notification", (message) => {
      if (message.channel !== source.channel) return;
      for (const subscriber of subscribers) subscriber.onChange();
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${source.channel}`);
      // Listening on a database whose trigger is missing (a server started before its
      // migrations ran) or disabled would hear nothing and look healthy: that is not listening.
      const trigger = await current.query(
        "select 1 from pg_trigger where tgname = $1 and tgrelid = to_regclass($2) and tgenabled <> 'D'",
        [source.trigger, source.table],
      );
      if (trigger.rowCount === 0) {
        throw new Error(`trigger ${source.trigger} is missing or disabled: run the migrations`);
      }
    } catch (error) {
      lost(current, error);
      return;
    }
    if (client !== current) return; // closed while connecting
    failures = 0;
    heartbeat = setInterval(() => {
      current.query("select 1").catch((error: unknown) => lost(current, error));
    }, heartbeatMs);
    heartbeat.unref();
    report({ listening: true });
  };

  const close = () => {
    subscribers.clear();
    clearTimeout(retryTimer);
    retryTimer = undefined;
    stop(client);
    state = { listening: false, reason: "closed" };
    reported = false;
  };

  return {
    close,
    subscribe(onChange, onStateChange) {
      const subscriber = { onChange, onStateChange };
      subscribers.add(subscriber);
      if (state.listening) onStateChange(state);
      if (!client) scheduleConnect();
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0) close();
      };
    },
  };
}
