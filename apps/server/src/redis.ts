import type { Logger } from "@cartwheel/observability";
import { Redis } from "ioredis";

/**
 * One shared Redis connection. Commands fail fast while Redis is down (no offline queue),
 * so callers can fall back instead of hanging; ioredis keeps reconnecting in the background.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let healthy = true;
  redis.on("error", (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (healthy) logger.warn({ err: { message: error.message } }, "redis unavailable; falling back where possible");
    healthy = false;
  });
  redis.on("ready", () => {
    if (!healthy) logger.info("redis reconnected");
    healthy = true;
  });
  return redis;
}
