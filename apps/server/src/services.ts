import type { Services } from "@cartwheel/api";
import {
  createAccountMailThrottle,
  createAuthService,
  createLoginThrottle,
  createRedisRevocationStore,
  seedDevAdmin,
} from "@cartwheel/auth";
import { createCatalogPageCache, createCommerceServices, customerErasureStep } from "@cartwheel/commerce";
import {
  createDatabase,
  createEventRecorder,
  type Database,
  parseDatabaseUrl,
  seedCatalogIfEmpty,
} from "@cartwheel/db";
import type { Logger, Metrics } from "@cartwheel/observability";
import { currentTraceparent, statementSpans } from "@cartwheel/tracing";
import { createRateLimiterFactory } from "@cartwheel/rate-limit";
import { createWebhookService, deriveWebhookSecretKey } from "@cartwheel/webhooks";
import type { Cluster, Redis } from "ioredis";
import { unindexedUsers } from "@cartwheel/pii";
import { resolveAuthSecret, resolvePii } from "./auth-secret.ts";
import type { Config } from "./config.ts";

/** Process-wide resources created before the services (see server.ts), shared with them. */
export interface SharedResources {
  metrics?: Metrics;
  /** The one Redis (REDIS_URL) or cluster (REDIS_CLUSTER_NODES) client: rate limits, auth revocations. */
  redis?: Redis | Cluster | null;
}

const now = () => new Date();

/** Opens every long-lived dependency the server needs, once, at start. */
export async function createServices(
  config: Config,
  logger: Logger,
  { metrics, redis }: SharedResources = {},
): Promise<Services> {
  const target = parseDatabaseUrl(config.DATABASE_URL);
  const { dialect } = target;
  const sqliteFile = target.dialect === "sqlite" && !target.inMemory;
  // Bound to its label once: it runs for every statement, and prom-client hashes a label object per call.
  const queryDuration = metrics?.dbQueryDuration.labels({ dialect });
  const database = await createDatabase(config.DATABASE_URL, {
    readUrls: config.DATABASE_READ_URLS,
    listenUrl: config.DATABASE_LISTEN_URL,
    // Fail fast (503) rather than queue requests while PostgreSQL is unreachable.
    connectionTimeoutMs: 1500,
    onPoolError: (error) => logger.warn({ err: { message: error.message } }, "database connection lost"),
    onQuery: queryDuration && ((ms) => queryDuration.observe(ms / 1000)),
    traceStatement: statementSpans(dialect === "postgres" ? "postgresql" : "sqlite"),
  });
  await refuseUnindexedAccounts(database);
  // The embedded SQLite default starts with the demo catalog; PostgreSQL is never seeded implicitly.
  if (sqliteFile) {
    const seeded = await seedCatalogIfEmpty(database, { now });
    if (seeded) logger.info({ products: seeded.inserted }, "seeded the demo catalog");
  }
  const limiters = createRateLimiterFactory({ redis });
  // Events carry the request's trace context, so the jobs they lead to join its trace.
  const outbox = createEventRecorder(database, { now, traceContext: currentTraceparent });
  const authSecret = resolveAuthSecret(config);
  const pii = resolvePii(config);
  const auth = createAuthService({
    database,
    now,
    logger,
    secret: authSecret,
    pii: pii.box,
    emailIndexKey: pii.indexKey,
    production: config.NODE_ENV === "production",
    revocations: redis ? createRedisRevocationStore(redis, { now, logger }) : undefined,
    throttle: createLoginThrottle({ limiters }),
    accountMailThrottle: createAccountMailThrottle({ limiters }),
    events: outbox,
    requireVerifiedEmail: config.REQUIRE_VERIFIED_EMAIL === "1",
    erasureSteps: [customerErasureStep(database)],
  });
  // Only the embedded SQLite of a development checkout gets a ready-made admin; production never creates accounts.
  if (config.NODE_ENV === "development" && sqliteFile) {
    await seedDevAdmin({
      database,
      now,
      pii: pii.box,
      emailIndexKey: pii.indexKey,
      print: (line) => process.stdout.write(`${line}\n`),
    });
  }
  if (config.NODE_ENV === "production" && config.WEBHOOK_ALLOW_PRIVATE) {
    logger.warn("WEBHOOK_ALLOW_PRIVATE=1: webhook endpoints may reach private and loopback addresses (SSRF)");
  }
  const catalogPageCache = openCatalogPageCache(config, database, logger, metrics);
  return {
    database,
    logger,
    now,
    metrics,
    auth,
    ...createCommerceServices({
      database,
      now,
      pii: pii.box,
      emailIndexKey: pii.indexKey,
      logger,
      catalogPageCache,
      events: outbox,
      lowStockThreshold: config.LOW_STOCK_THRESHOLD,
    }),
    webhooks: createWebhookService({
      database,
      now,
      secretKey: deriveWebhookSecretKey(authSecret),
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
      events: outbox,
    }),
  };
}

/**
 * Accounts from before e-mail was sealed have no blind index until `cartwheel pii rotate` fills
 * it, and sign-in finds accounts only by it: serving before then would turn their owners away
 * as unknown, so the server does not start.
 */
async function refuseUnindexedAccounts(database: Database): Promise<void> {
  const missing = await unindexedUsers(database);
  if (missing === 0) return;
  await database.close();
  throw new Error(
    `${missing} accounts have no e-mail index yet: run \`cartwheel pii rotate\` (see the README's upgrade notes)`,
  );
}

/**
 * The catalog page cache, where every writer's commits reach it: SQLite's data_version, or
 * PostgreSQL's change feed, which keeps it off (`setCoherent(false)`) while not listening.
 * CATALOG_CACHE=on without either would be per-process only; the server always has one.
 */
function openCatalogPageCache(config: Config, database: Database, logger: Logger, metrics: Metrics | undefined) {
  const feed = database.changeFeed;
  const seesEveryWriter = database.dialect === "sqlite" || feed !== undefined;
  if (config.CATALOG_CACHE === "off" || (config.CATALOG_CACHE === "auto" && !seesEveryWriter)) return undefined;
  const cache = createCatalogPageCache({
    externalVersion: database.changeCounter,
    ttlMs: config.CATALOG_CACHE_TTL_SECONDS * 1000,
    coherent: feed === undefined,
    onLookup: metrics && ((name, hit) => (hit ? metrics.cacheHits : metrics.cacheMisses).inc({ cache: name })),
  });
  metrics?.catalogCacheCoherent.set(feed ? 0 : 1);
  // Unsubscribed when the database closes (closeServices).
  feed?.subscribe(
    () => cache.invalidate(),
    (state) => {
      cache.setCoherent(state.listening);
      metrics?.catalogCacheCoherent.set(state.listening ? 1 : 0);
      // Called on changes only, so each loss and each recovery is logged once.
      if (state.listening) logger.info("catalog change feed listening: the catalog page cache is on (empty)");
      else
        logger.warn(
          { reason: state.reason },
          "catalog change feed down: the catalog page cache is off until it is back",
        );
    },
  );
  return cache;
}

/** Releases what createServices opened. */
export async function closeServices(services: Services): Promise<void> {
  await services.database.close();
}
