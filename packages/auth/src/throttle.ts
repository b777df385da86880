import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { Cluster, Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Slows password guessing without a permanent lockout an attacker could trigger: every
 * limit is a window that ends by itself. Per account+IP stops one client quickly; per
 * account caps a distributed attack on one account.
 */
export interface LoginThrottle {
  /** Counts an attempt. Returns null when allowed, or the seconds to wait. */
  attempt(email: string, ip: string): Promise<number | null>;
  /** A correct password clears the client's failures, so only failed attempts add up. */
  succeeded(email: string, ip: string): Promise<void>;
}

export interface ThrottleLimits {
  perAccountIp: { points: number; durationSeconds: number };
  perAccount: { points: number; durationSeconds: number };
}

export const defaultThrottleLimits: ThrottleLimits = {
  perAccountIp: { points: 5, durationSeconds: 60 },
  perAccount: { points: 100, durationSeconds: 3600 },
};

// Hashed so that Redis keys never hold email addresses.
const accountKey = (email: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(email))).slice(0, 32);

/** Memory by default; with `redis`, shared by every instance, falling back to memory when Redis fails. */
export function createLoginThrottle(options: { redis?: Redis | Cluster; limits?: ThrottleLimits } = {}): LoginThrottle {
  const limits = options.limits ?? defaultThrottleLimits;
  const limiter = (prefix: string, { points, durationSeconds }: { points: number; durationSeconds: number }) => {
    const memory = new RateLimiterMemory({ keyPrefix: prefix, points, duration: durationSeconds });
    if (!options.redis) return memory;
    return new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `cartwheel:${prefix}`,
      points,
      duration: durationSeconds,
      insuranceLimiter: memory, // Used while Redis fails: limits stay per instance, never off.
    });
  };
  const perAccountIp = limiter("login-fail-account-ip", limits.perAccountIp);
  const perAccount = limiter("login-fail-account", limits.perAccount);

  return {
    async attempt(email, ip) {
      const account = accountKey(email);
      return (await consume(perAccountIp, `${account}:${ip}`)) ?? (await consume(perAccount, account));
    },
    async succeeded(email, ip) {
      const account = accountKey(email);
      await perAccountIp.delete(`${account}:${ip}`);
      await perAccount.reward(account, 1);
    },
  };
}

/** Consumes one point first and checks after, so concurrent guesses cannot slip past the limit. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}
