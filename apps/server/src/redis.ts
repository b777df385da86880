import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { Logger } from "@cartwheel/observability";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Config } from "./config.ts";

/** What rate limits, the login throttle and revocations are given: one server or a cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectOptions {
  /** PEM CA bundle for rediss:// (REDIS_TLS_CA_FILE); Node's trusted CAs when unset. */
  tlsCaFile?: string;
}

/**
 * TLS socket options for a rediss:// URL: the certificate chain and the host name are
 * always verified (Node's defaults); only the trusted CA can be changed.
 */
function tlsOptions(url: URL, options: RedisConnectOptions): ConnectionOptions | undefined {
  if (url.protocol !== "rediss:") return undefined;
  const ca = options.tlsCaFile ? readCa(options.tlsCaFile) : undefined;
  return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`REDIS_TLS_CA_FILE ${path} cannot be read (${(error as { code?: string }).code ?? "unreadable"})`, {
      cause: error,
    });
  }
}

/** Fail fast while Redis is down (no offline queue), so callers fall back instead of hanging. */
const failFast = { maxRetriesPerRequest: 1, connectTimeout: 2000 } satisfies RedisOptions;

function credentials(url: URL): Pick<RedisOptions, "username" | "password"> {
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/**
 * One shared Redis connection. Commands fail fast while Redis is down (no offline queue),
 * so callers can fall back instead of hanging; ioredis keeps reconnecting in the background.
 */
export function createRedisClient(url: string, logger: Logger, options: RedisConnectOptions = {}): Redis {
  const tls = tlsOptions(new URL(url), options);
  const redis = new Redis(url, {
    ...failFast,
    ...(tls ? { tls } : {}),
    lazyConnect: false,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  reportOutages(redis, logger, "redis");
  return redis;
}

/**
 * A Redis Cluster client from seed node URLs (all redis:// or all rediss://, one set of
 * credentials). The client learns the other nodes and the slot map from the seeds.
 * Every key the server uses is a single key per command (rate-limit script, SET/EXISTS),
 * so no command spans hash slots. While the nodes holding some slots are gone, commands
 * on those slots fail after a short retry and callers fall back as with one Redis.
 */
function createClusterClient(nodeUrls: readonly string[], logger: Logger, options: RedisConnectOptions = {}) {
  const urls = nodeUrls.map((url) => new URL(url));
  const first = urls[0];
  if (!first) throw new Error("REDIS_CLUSTER_NODES is empty");
  const tls = tlsOptions(first, options);
  const cluster = new Cluster(
    urls.map((url) => ({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 6379) })),
    {
      enableOfflineQueue: false,
      // Bounded retries: a command on a slot whose master is gone fails within a few
      // hundred milliseconds, so the request falls back to the in-memory limiter. A cluster
      // that says CLUSTERDOWN is not retried at all: it stays down for at least the node
      // timeout (seconds), far longer than a request should wait.
      maxRedirections: 3,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 0,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: 1000,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // With TLS the certificate names the host as configured; resolving it to an IP
      // first (ioredis's default) would then fail the host-name check.
      ...(tls
        ? { dnsLookup: (address: string, done: (error: null, address: string) => void) => done(null, address) }
        : {}),
      redisOptions: { ...failFast, ...credentials(first), ...(tls ? { tls } : {}) },
    },
  );
  reportOutages(cluster, logger, "redis cluster");
  return cluster;
}

/** The client REDIS_URL or REDIS_CLUSTER_NODES configures, or null when neither is set. */
export function redisFromConfig(
  config: Pick<Config, "REDIS_URL" | "REDIS_CLUSTER_NODES" | "REDIS_TLS_CA_FILE">,
  logger: Logger,
): RedisClient | null {
  const options = { tlsCaFile: config.REDIS_TLS_CA_FILE };
  if (config.REDIS_CLUSTER_NODES.length > 0) return createClusterClient(config.REDIS_CLUSTER_NODES, logger, options);
  if (config.REDIS_URL) return createRedisClient(config.REDIS_URL, logger, options);
  return null;
}

/**
 * Resolves once the client is connected, or after `ms`. Waiting at startup keeps a new
 * instance from entering the balancer's rotation on memory limits while Redis is merely
 * still connecting; an instance whose Redis stays away starts degraded, and /ready says so.
 */
export function connected(client: RedisClient, ms: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}

/** The latest connection error of each client, so readiness can say why it is not connected. */
const lastErrors = new WeakMap<RedisClient, string>();

/** One line per outage, not one per reconnect attempt. */
function reportOutages(client: RedisClient, logger: Logger, what: string): void {
  let healthy = true;
  client.on("error", (error: Error) => {
    const message = oneLine(error);
    lastErrors.set(client, message);
    if (healthy) logger.warn({ err: { message } }, `${what} unavailable; falling back where possible`);
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) logger.info(`${what} reconnected`);
    lastErrors.delete(client);
    healthy = true;
  });
}

/** ioredis wraps node errors ("Failed to refresh slots cache." + lastNodeError). */
function oneLine(error: Error): string {
  const last = (error as { lastNodeError?: Error }).lastNodeError;
  const message = error.message.split("\n")[0] ?? error.name;
  return last ? `${message} (${last.message.split("\n")[0]})` : message;
}

/**
 * Readiness: a single Redis answers PING; a cluster reports `cluster_state:ok` and every
 * master it lists answers PING, so a lost master shows as "redis unavailable" even while
 * the remaining slots keep working.
 */
export async function pingRedis(client: RedisClient): Promise<void> {
  if (client.status !== "ready") {
    const reason = lastErrors.get(client);
    throw new Error(`not connected (${client.status}${reason ? `: ${reason}` : ""})`);
  }
  if (!(client instanceof Cluster)) {
    await client.ping();
    return;
  }
  const masters = client.nodes("master");
  if (masters.length === 0) throw new Error("no cluster master reachable");
  await Promise.all(
    masters.map((node) =>
      node.ping().catch((error: Error) => {
        throw new Error(`cluster master ${node.options.host}:${node.options.port}: ${error.message}`);
      }),
    ),
  );
  // Every reachable master answering is not enough: slots of a lost one may be unserved.
  const [first] = masters;
  const state = /^cluster_state:(\w+)/m.exec(await first!.cluster("INFO"))?.[1];
  if (state !== "ok")
    throw new Error(`cluster_state:${state} reported by ${first!.options.host}:${first!.options.port}`);
}
