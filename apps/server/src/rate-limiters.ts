import type { Cluster, Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

export interface RateLimiters {
  /** Per client IP (IPv6 per /64), authenticated or not. */
  readonly ip: RateLimiterAbstract;
  /** Per authenticated user or API key. */
  readonly user: RateLimiterAbstract;
}

export interface RateLimitersOptions {
  ipPerMinute: number;
  userPerMinute: number;
  /** Shared store for several instances; memory when null. */
  redis: Redis | Cluster | null;
  /** Namespace for Redis keys (tests isolate runs with it). */
  keyPrefix?: string;
}

function limiter(points: number, keyPrefix: string, redis: Redis | Cluster | null): RateLimiterAbstract {
  const window = { points, duration: 60, keyPrefix };
  if (!redis) return new RateLimiterMemory(window);
  // Redis: one atomic script per consume, so instances share the limit. While Redis is
  // unreachable (rejectIfRedisNotReady), the in-memory insurance limiter counts instead:
  // limits keep holding per instance, and Redis takes over again once it reconnects.
  // The outage itself is reported once by the shared client (see redis.ts).
  return new RateLimiterRedis({
    ...window,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(window),
  });
}

export function createRateLimiters(options: RateLimitersOptions): RateLimiters {
  const prefix = options.keyPrefix ?? "cw:rl";
  return {
    ip: limiter(options.ipPerMinute, `${prefix}:ip`, options.redis),
    user: limiter(options.userPerMinute, `${prefix}:user`, options.redis),
  };
}
