import type { Services } from "@cartwheel/api";
import { createCommerceServices } from "@cartwheel/commerce";
import { createDatabase } from "@cartwheel/db";
import type { Logger, Metrics } from "@cartwheel/observability";
import type { Redis } from "ioredis";
import type { Config } from "./config.ts";

/** Process-wide resources created before the services (see server.ts), shared with them. */
export interface SharedResources {
  metrics?: Metrics;
  /** The one Redis connection when REDIS_URL is set (rate limits, auth revocations). */
  redis?: Redis | null;
}

/** Opens every long-lived dependency the server needs, once, at start. */
export async function createServices(
  config: Config,
  logger: Logger,
  { metrics }: SharedResources = {},
): Promise<Services> {
  const dialect = /^postgres(ql)?:/.test(config.DATABASE_URL) ? "postgres" : "sqlite";
  const database = await createDatabase(config.DATABASE_URL, {
    // Fail fast (503) rather than queue requests while PostgreSQL is unreachable.
    connectionTimeoutMs: 1500,
    onPoolError: (error) => logger.warn({ err: { message: error.message } }, "database connection lost"),
    onQuery: metrics ? (ms) => metrics.dbQueryDuration.observe({ dialect }, ms / 1000) : undefined,
  });
  const now = () => new Date();
  return { database, logger, now, metrics, ...createCommerceServices({ database, now, logger }) };
}

/** Releases what createServices opened. */
export async function closeServices(services: Services): Promise<void> {
  await services.database.close();
}
