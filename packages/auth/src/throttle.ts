import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import {
  addressKey,
  createRateLimiterFactory,
  type RateLimiterAbstract,
  type RateLimiterFactory,
  RateLimiterRes,
  retryAfterSeconds,
} from "@cartwheel/rate-limit";

/** One sign-in (or password check) attempt, as the throttle sees it. */
export interface LoginAttempt {
  /** Normalised email. */
  email: string;
  /** Client address from the gateway; IPv6 is counted per /64. */
  ip: string;
  /** From a valid device token for this account (device-tokens.ts), else null. */
  deviceId: string | null;
}

/**
 * Slows password guessing without a lockout an attacker can aim at someone else; every
 * limit is a window that ends by itself.
 *
 * - From a device that already signed in to the account (valid device token): only a
 *   per-device limit, so failures by others never lock the owner out there.
 * - Otherwise: per client address (stops one client spraying many accounts, unknown ones
 *   included), per account+address (stops one client quickly) and per account (caps a
 *   distributed attack; it only ever blocks devices without a token, OWASP's trade-off).
 */
export interface LoginThrottle {
  /** Counts an attempt. Returns null when allowed, or the seconds to wait. */
  attempt(login: LoginAttempt): Promise<number | null>;
  /** A correct password clears the failures this attempt counted, so only failures add up. */
  succeeded(login: LoginAttempt): Promise<void>;
  /** Gives back the points an admitted attempt took when it was never judged (shed under load). */
  refund(login: LoginAttempt): Promise<void>;
}

export interface ThrottleLimit {
  points: number;
  durationSeconds: number;
}

export interface ThrottleLimits {
  perAddress: ThrottleLimit;
  perAccountIp: ThrottleLimit;
  perAccount: ThrottleLimit;
  perDevice: ThrottleLimit;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perAddress: { points: 30, durationSeconds: 60 },
  perAccountIp: { points: 5, durationSeconds: 60 },
  perAccount: { points: 100, durationSeconds: 3600 },
  perDevice: { points: 10, durationSeconds: 900 },
};

/**
 * The sign-in throttle as rows (the README's sign-in table shows them; a server test compares
 * the two). `rule` names the limiter and its Redis keys; `key` is what one counter covers;
 * `device` says whether the rule applies to attempts with or without a valid device token.
 * Each counts failed sign-ins: an attempt takes a point first, and a success gives it back
 * (the account + ip and account + device counters are cleared).
 */
export const loginThrottleRules = [
  { rule: "login-address", limit: "perAddress", key: "ip", device: "without" },
  { rule: "login-fail-account-ip", limit: "perAccountIp", key: "account + ip", device: "without" },
  { rule: "login-fail-account", limit: "perAccount", key: "account", device: "without" },
  { rule: "login-fail-device", limit: "perDevice", key: "account + device", device: "with" },
] as const satisfies readonly { rule: string; limit: keyof ThrottleLimits; key: string; device: "with" | "without" }[];

// Hashed so that Redis keys never hold email addresses.
export const accountKey = (email: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(email))).slice(0, 32);

/**
 * Limiters come from the shared factory (@cartwheel/rate-limit): memory by default; one
 * built with Redis shares the limits between instances and falls back to memory while
 * Redis fails. Keys: `cartwheel:rl:login-address:<address>`, `…:login-fail-account-ip:<account>:<address>`,
 * `…:login-fail-account:<account>`, `…:login-fail-device:<account>:<device>`.
 */
export function createLoginThrottle(
  options: { limiters?: RateLimiterFactory; limits?: Partial<ThrottleLimits> } = {},
): LoginThrottle {
  const limits = { ...defaultThrottleLimits, ...options.limits };
  const limiter = options.limiters ?? createRateLimiterFactory();
  const build = (row: (typeof loginThrottleRules)[number]) => limiter(row.rule, limits[row.limit]);
  const [perAddress, perAccountIp, perAccount, perDevice] = [
    build(loginThrottleRules[0]),
    build(loginThrottleRules[1]),
    build(loginThrottleRules[2]),
    build(loginThrottleRules[3]),
  ];

  return {
    async attempt({ email, ip, deviceId }) {
      const account = accountKey(email);
      if (deviceId) return consume(perDevice, `${account}:${deviceId}`);
      const address = addressKey(ip);
      return (
        (await consume(perAddress, address)) ??
        (await consume(perAccountIp, `${account}:${address}`)) ??
        (await consume(perAccount, account))
      );
    },
    async succeeded({ email, ip, deviceId }) {
      const account = accountKey(email);
      if (deviceId) {
        await perDevice.delete(`${account}:${deviceId}`);
        return;
      }
      const address = addressKey(ip);
      await perAddress.reward(address, 1);
      await perAccountIp.delete(`${account}:${address}`);
      await perAccount.reward(account, 1);
    },
    async refund({ email, ip, deviceId }) {
      const account = accountKey(email);
      if (deviceId) {
        await perDevice.reward(`${account}:${deviceId}`, 1);
        return;
      }
      const address = addressKey(ip);
      await perAddress.reward(address, 1);
      await perAccountIp.reward(`${account}:${address}`, 1);
      await perAccount.reward(account, 1);
    },
  };
}

/** Consumes one point first and checks after, so concurrent guesses cannot slip past the limit. */
export async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return retryAfterSeconds(rejection);
    throw rejection;
  }
}
