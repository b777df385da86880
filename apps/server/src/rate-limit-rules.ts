import type { Config } from "./config.ts";

/**
 * What a rule counts against: the client address (IPv6 per /64), the signed-in user, or
 * the API key a service calls with. A call made with an API key is not a user's call, so
 * service-to-service traffic has its own class of limit.
 */
export type RateLimitKey = "ip" | "user" | "apiKey";

/** Settings in config.ts that hold a limit (whole numbers). */
export type LimitSetting = {
  [K in keyof Config]-?: K extends `RATE_LIMIT_${string}` ? (Config[K] extends number ? K : never) : never;
}[keyof Config];

export interface RateLimitRow {
  /** Names the limiter: its Redis keys are `cartwheel:rl:<rule>:<key>`, its metric label `rule="<rule>"`. */
  readonly rule: string;
  /** A tRPC procedure name, or a glob over them: `*` for every procedure, `catalog.*` for one router. */
  readonly match: string;
  readonly key: RateLimitKey;
  /** The config.ts setting that holds the limit (calls per window). */
  readonly setting: LimitSetting;
  readonly windowSeconds: number;
}

/**
 * Every HTTP rate limit. The rate-limit middleware checks each row whose pattern matches a
 * call and whose key the request has; every call in a batch costs one point on each of
 * them. The README's "Rate limits" table shows the same rows (a test compares them).
 */
export const rateLimitTable: readonly RateLimitRow[] = [
  { rule: "ip", match: "*", key: "ip", setting: "RATE_LIMIT_IP_PER_MIN", windowSeconds: 60 },
  { rule: "user", match: "*", key: "user", setting: "RATE_LIMIT_USER_PER_MIN", windowSeconds: 60 },
  { rule: "api-key", match: "*", key: "apiKey", setting: "RATE_LIMIT_API_KEY_PER_MIN", windowSeconds: 60 },
];

/** A row with its limit read from the configuration. */
export interface RateLimitRule extends Omit<RateLimitRow, "setting"> {
  readonly limit: number;
}

export function rateLimitRules(
  config: Pick<Config, LimitSetting>,
  table: readonly RateLimitRow[] = rateLimitTable,
): RateLimitRule[] {
  return table.map(({ setting, ...row }) => ({ ...row, limit: config[setting] }));
}

/** `*` matches any run of characters; everything else literally. */
export function procedureMatcher(pattern: string): (procedure: string) => boolean {
  if (pattern === "*") return () => true;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const regex = new RegExp(`^${escaped.join(".*")}$`);
  return (procedure) => regex.test(procedure);
}
