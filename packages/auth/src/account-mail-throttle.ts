// Limits on the requests that mail an account's owner (password reset, verification resend,
// the "someone tried to register" notice), so that nobody can flood a mailbox through us or
// probe addresses quickly. Every counter is keyed on the address as typed (hashed), never on
// whether an account has it, so being throttled reveals nothing about accounts.
import { addressKey, createRateLimiterFactory, type RateLimiterFactory } from "@cartwheel/rate-limit";
import { accountKey, consume } from "./throttle.ts";

export type AccountMailKind = "password_reset" | "verification_resend" | "registration_repeated";

/**
 * The rows, as the README's account-mail table shows them (a server test compares the two).
 * `rule` names the limiter and its Redis keys `cartwheel:rl:<rule>:<key>`.
 */
export const accountMailThrottleRules = [
  { rule: "reset-ip", kind: "password_reset", key: "ip", points: 20, durationSeconds: 3600 },
  { rule: "reset-account", kind: "password_reset", key: "account", points: 3, durationSeconds: 900 },
  { rule: "verify-resend-account", kind: "verification_resend", key: "account", points: 3, durationSeconds: 900 },
  { rule: "register-repeat-account", kind: "registration_repeated", key: "account", points: 3, durationSeconds: 3600 },
] as const satisfies readonly {
  rule: string;
  kind: AccountMailKind;
  key: "ip" | "account";
  points: number;
  durationSeconds: number;
}[];

export interface AccountMailThrottle {
  /** Counts one request. Returns null when allowed, or the seconds to wait. */
  attempt(kind: AccountMailKind, request: { email: string; ip: string }): Promise<number | null>;
}

export function createAccountMailThrottle(options: { limiters?: RateLimiterFactory } = {}): AccountMailThrottle {
  const limiters = options.limiters ?? createRateLimiterFactory();
  const rows = accountMailThrottleRules.map((row) => ({
    ...row,
    limiter: limiters(row.rule, { points: row.points, durationSeconds: row.durationSeconds }),
  }));
  return {
    async attempt(kind, { email, ip }) {
      for (const row of rows) {
        if (row.kind !== kind) continue;
        const wait = await consume(row.limiter, row.key === "ip" ? addressKey(ip) : accountKey(email));
        if (wait !== null) return wait;
      }
      return null;
    },
  };
}
