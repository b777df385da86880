import type { Cluster, Redis } from "ioredis";
import ipaddr from "ipaddr.js";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export { type RateLimiterAbstract, RateLimiterRes };

/** How many points a key may spend in a window that starts with its first point. */
export interface RateLimitWindow {
  points: number;
  durationSeconds: number;
}

export interface RateLimiterStore {
  /**
   * Shared by every instance; memory when absent. The client should fail fast while Redis
   * is down (no offline queue, as apps/server/src/redis.ts builds it), so a consume falls
   * through to the insurance limiter at once instead of waiting for a reconnect.
   */
  redis?: Redis | Cluster | null;
  /** First segment of every key; tests isolate their runs with their own. */
  namespace?: string;
}

/** Builds the limiter of one named rule; a rule name may be used once per factory. */
export type RateLimiterFactory = (rule: string, window: RateLimitWindow) => RateLimiterAbstract;

export const DEFAULT_NAMESPACE = "cartwheel";

/** Rule names become a key segment, so they stay free of `:` and spaces. */
const RULE_NAME = /^[a-z][a-z0-9-]*$/;

/** `<namespace>:rl:<rule>`; rate-limiter-flexible appends `:<key>`, giving `cartwheel:rl:<rule>:<key>`. */
export function rateLimitKeyPrefix(rule: string, namespace = DEFAULT_NAMESPACE): string {
  return `${namespace}:rl:${rule}`;
}

/**
 * The one way limiters are made. With Redis, one atomic script per consume shares the limit
 * between instances; while Redis fails, the in-memory insurance limiter counts instead, so
 * limits keep holding per instance and Redis takes over again once it answers. The outage
 * itself is reported once by the shared client.
 */
export function createRateLimiterFactory(store: RateLimiterStore = {}): RateLimiterFactory {
  const seen = new Set<string>();
  return (rule, { points, durationSeconds }) => {
    if (!RULE_NAME.test(rule)) throw new Error(`rate-limit rule "${rule}" must match ${RULE_NAME}`);
    if (seen.has(rule)) throw new Error(`rate-limit rule "${rule}" is defined twice; each rule has one limiter`);
    seen.add(rule);
    const window = { points, duration: durationSeconds, keyPrefix: rateLimitKeyPrefix(rule, store.namespace) };
    const memory = new RateLimiterMemory(window);
    if (!store.redis) return memory;
    return new RateLimiterRedis({ ...window, storeClient: store.redis, insuranceLimiter: memory });
  };
}

/** Seconds to wait after a rejection, as Retry-After states it: whole seconds, at least 1. */
export function retryAfterSeconds(rejection: RateLimiterRes): number {
  return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
}

/**
 * The key an address counts against: IPv4 as it is, IPv6 per /64, because one subscriber
 * usually owns a whole /64 and could otherwise rotate addresses freely.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(":")}::/64`;
}
