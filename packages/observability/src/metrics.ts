import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Latency buckets in seconds, from sub-millisecond cache hits to the 30 s request timeout. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC). Off in unit tests that build many registries. */
  defaultMetrics?: boolean;
}

/**
 * Every metric the server exposes, on its own registry (not prom-client's global one) so
 * tests and several apps in one process never share counts. Label values are always from
 * a bounded set: procedure names only for procedures that exist, never raw request paths.
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "cartwheel_http_request_duration_seconds",
      help: "Whole HTTP request duration, by route group and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    procedureDuration: new Histogram({
      name: "cartwheel_trpc_procedure_duration_seconds",
      help: "tRPC procedure duration, by procedure and outcome (ok or the tRPC error code)",
      labelNames: ["procedure", "type", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    trpcErrors: new Counter({
      name: "cartwheel_trpc_errors_total",
      help: "tRPC errors returned to clients, by tRPC error code",
      labelNames: ["code"] as const,
      registers,
    }),
    jobRuns: new Histogram({
      name: "cartwheel_job_run_duration_seconds",
      help: "Background job runs, by job name and outcome (completed, failed); the count is runs",
      labelNames: ["job", "outcome"] as const,
      buckets: QUERY_BUCKETS,
      registers,
    }),
    jobQueueDepth: new Gauge({
      name: "cartwheel_job_queue_depth",
      help: "Background jobs by job name and state (queued, active, failed = dead-lettered)",
      labelNames: ["job", "state"] as const,
      registers,
    }),
    jobOldestAgeSeconds: new Gauge({
      name: "cartwheel_job_oldest_queued_age_seconds",
      help: "Seconds the oldest queued job of each name has waited since it was created",
      labelNames: ["job"] as const,
      registers,
    }),
    dbQueryDuration: new Histogram({
      name: "cartwheel_db_query_duration_seconds",
      help: "Database statement duration, by dialect",
      labelNames: ["dialect"] as const,
      buckets: QUERY_BUCKETS,
      registers,
    }),
    rateLimitRejections: new Counter({
      name: "cartwheel_rate_limit_rejections_total",
      help: "Requests rejected with 429, by rate-limit rule (apps/server/src/rate-limit-rules.ts)",
      labelNames: ["rule"] as const,
      registers,
    }),
    cacheHits: new Counter({
      name: "cartwheel_cache_hits_total",
      help: "Cache hits, by cache name",
      labelNames: ["cache"] as const,
      registers,
    }),
    cacheMisses: new Counter({
      name: "cartwheel_cache_misses_total",
      help: "Cache misses, by cache name",
      labelNames: ["cache"] as const,
      registers,
    }),
    catalogCacheCoherent: new Gauge({
      name: "cartwheel_catalog_cache_coherent",
      help: "1 while the catalog page cache learns of every write (on SQLite, or the change feed listening); 0 while it is off for lack of that",
      registers,
    }),
    openSubscriptions: new Gauge({
      name: "cartwheel_open_subscriptions",
      help: "Event streams (tRPC subscriptions over SSE) open on this instance",
      registers,
    }),
    subscriptionEvents: new Counter({
      name: "cartwheel_subscription_events_total",
      help: "Events sent on event streams, by procedure",
      labelNames: ["procedure"] as const,
      registers,
    }),
    signups: new Counter({ name: "cartwheel_signups_total", help: "Accounts registered", registers }),
    logins: new Counter({ name: "cartwheel_logins_total", help: "Successful password logins", registers }),
    ordersPlaced: new Counter({ name: "cartwheel_orders_placed_total", help: "Orders placed", registers }),
    revenueCents: new Counter({
      name: "cartwheel_revenue_cents_total",
      help: "Total of placed orders in minor units, by currency",
      labelNames: ["currency"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
