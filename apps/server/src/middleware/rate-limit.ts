import type { Metrics } from "@cartwheel/observability";
import type { MiddlewareHandler } from "hono";
import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import type { AppEnv } from "../hono-env.ts";
import type { RateLimiters } from "../rate-limiters.ts";
import { trpcErrorResponse } from "../trpc-error-response.ts";
import { procedureNames } from "./access-log.ts";
import { rateLimitKeyForIp } from "./client-ip.ts";
import { setResponseHeaders } from "../fast-path/index.ts";

export interface RateLimitOptions {
  limiters: RateLimiters;
  maxBatch: number;
  metrics: Metrics;
}

interface Check {
  scope: "ip" | "user";
  limiter: RateLimiterAbstract;
  key: string;
}

type Outcome = { check: Check; res: RateLimiterRes; rejected: boolean };

async function consume(check: Check, points: number): Promise<Outcome | null> {
  try {
    return { check, res: await check.limiter.consume(check.key, points), rejected: false };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { check, res: error, rejected: true };
    return null; // Store failure without insurance: fail open rather than take the API down.
  }
}

function headers(outcome: Outcome): Record<string, string> {
  return {
    "RateLimit-Limit": String(outcome.check.limiter.points),
    "RateLimit-Remaining": String(Math.max(0, outcome.res.remainingPoints)),
    "RateLimit-Reset": String(Math.max(1, Math.ceil(outcome.res.msBeforeNext / 1000))),
  };
}

/**
 * Per-IP and per-caller limits on /trpc. Every procedure in a batch costs one point, so
 * batching cannot multiply the allowance; oversized batches are refused before counting.
 * Runs after authentication, which sets the actor the per-user limit keys on.
 */
export function rateLimit({ limiters, maxBatch, metrics }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const calls = Math.max(1, procedureNames(c.req.path).length);
    if (calls > maxBatch) {
      return trpcErrorResponse(
        c,
        "BAD_REQUEST",
        `A batch may contain at most ${maxBatch} calls; this one has ${calls}. Split it into smaller batches.`,
      );
    }
    const checks: Check[] = [{ scope: "ip", limiter: limiters.ip, key: rateLimitKeyForIp(c.get("ip")) }];
    const actor = c.get("actor");
    if (actor) checks.push({ scope: "user", limiter: limiters.user, key: `${actor.kind}:${actor.id}` });

    const outcomes = (await Promise.all(checks.map((check) => consume(check, calls)))).filter((o) => o !== null);
    const rejected = outcomes.find((outcome) => outcome.rejected);
    if (rejected) {
      metrics.rateLimitRejections.inc({ scope: rejected.check.scope });
      const limitHeaders = headers(rejected);
      const retryAfter = limitHeaders["RateLimit-Reset"]!;
      const who = rejected.check.scope === "ip" ? "this address" : "this account";
      return trpcErrorResponse(
        c,
        "TOO_MANY_REQUESTS",
        `Too many requests from ${who}: the limit is ${rejected.check.limiter.points} calls a minute. Retry in ${retryAfter} s.`,
        { ...limitHeaders, "Retry-After": retryAfter },
      );
    }
    // Advertise the tighter of the limits that apply.
    const tightest = outcomes.toSorted((a, b) => a.res.remainingPoints - b.res.remainingPoints)[0];
    await next();
    if (tightest) setResponseHeaders(c, Object.entries(headers(tightest)));
  };
}
