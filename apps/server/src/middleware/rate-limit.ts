import type { Metrics } from "@cartwheel/observability";
import {
  type RateLimiterAbstract,
  type RateLimiterFactory,
  RateLimiterRes,
  retryAfterSeconds,
} from "@cartwheel/rate-limit";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../hono-env.ts";
import { procedureMatcher, type RateLimitKey, type RateLimitRule } from "../rate-limit-rules.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";
import { procedureNames } from "./access-log.ts";
import { rateLimitKeyForIp } from "./client-ip.ts";
import { setResponseHeaders } from "../fast-path/index.ts";

export interface RateLimitOptions {
  /** The table's rows with their limits (rate-limit-rules.ts). */
  rules: readonly RateLimitRule[];
  limiters: RateLimiterFactory;
  maxBatch: number;
  metrics: Metrics;
}

/** The value a request counts against for each kind of key, or null when it has none. */
const actorId = (c: Context<AppEnv>, kind: "user" | "apiKey") => {
  const actor = c.get("actor");
  return actor?.kind === kind ? actor.id : null;
};
const keyOf: Record<RateLimitKey, (c: Context<AppEnv>) => string | null> = {
  ip: (c) => rateLimitKeyForIp(c.get("ip")),
  user: (c) => actorId(c, "user"),
  apiKey: (c) => actorId(c, "apiKey"),
};

/** Whom the 429 message names. */
const who: Record<RateLimitKey, string> = { ip: "this address", user: "this account", apiKey: "this API key" };

const per = (seconds: number) => (seconds === 60 ? "a minute" : seconds === 3600 ? "an hour" : `every ${seconds} s`);

interface Limit extends RateLimitRule {
  limiter: RateLimiterAbstract;
  matches: (procedure: string) => boolean;
}

type Outcome = { limit: Limit; res: RateLimiterRes; rejected: boolean };

async function consume(limit: Limit, key: string, points: number): Promise<Outcome | null> {
  try {
    return { limit, res: await limit.limiter.consume(key, points), rejected: false };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { limit, res: error, rejected: true };
    return null; // Store failure without insurance: fail open rather than take the API down.
  }
}

function headers({ limit, res }: Outcome): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit.limit),
    "RateLimit-Remaining": String(Math.max(0, res.remainingPoints)),
    "RateLimit-Reset": String(retryAfterSeconds(res)),
  };
}

/**
 * The one rate-limit middleware on /trpc: it checks every rule of the table that matches a
 * call and whose key the request has. Every procedure in a batch costs one point, so
 * batching cannot multiply the allowance; oversized batches are refused before counting.
 * Runs after authentication, which sets the actor the user and API-key rules key on.
 */
export function rateLimit({ rules, limiters, maxBatch, metrics }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const limits: Limit[] = rules.map((rule) => ({
    ...rule,
    limiter: limiters(rule.rule, { points: rule.limit, durationSeconds: rule.windowSeconds }),
    matches: procedureMatcher(rule.match),
  }));
  return async (c, next) => {
    const names = procedureNames(c.req.path);
    if (names.length > maxBatch) {
      return trpcErrorResponse(
        c,
        "BAD_REQUEST",
        `A batch may contain at most ${maxBatch} calls; this one has ${names.length}. Split it into smaller batches.`,
      );
    }
    // A path naming no procedure still costs one point, against the rules for every procedure.
    const calls = names.length > 0 ? names : [""];
    const checks = limits.flatMap((limit) => {
      const key = keyOf[limit.key](c);
      const points = key === null ? 0 : calls.filter(limit.matches).length;
      return key !== null && points > 0 ? [consume(limit, key, points)] : [];
    });
    const outcomes = (await Promise.all(checks)).filter((outcome) => outcome !== null);
    const rejected = outcomes.find((outcome) => outcome.rejected);
    if (rejected) {
      const { rule, key, limit, windowSeconds } = rejected.limit;
      metrics.rateLimitRejections.inc({ rule });
      const limitHeaders = headers(rejected);
      const retryAfter = limitHeaders["RateLimit-Reset"]!;
      return trpcErrorResponse(
        c,
        "TOO_MANY_REQUESTS",
        `Too many requests from ${who[key]}: the limit is ${limit} calls ${per(windowSeconds)}. Retry in ${retryAfter} s.`,
        { ...limitHeaders, "Retry-After": retryAfter },
      );
    }
    // Advertise the tighter of the limits that apply.
    const tightest = outcomes.toSorted((a, b) => a.res.remainingPoints - b.res.remainingPoints)[0];
    await next();
    if (tightest) setResponseHeaders(c, Object.entries(headers(tightest)));
  };
}
