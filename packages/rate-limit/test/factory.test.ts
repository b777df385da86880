import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiterFactory, rateLimitKeyPrefix, RateLimiterRes, retryAfterSeconds } from "../src/index.ts";

/** Memory always; Redis when TEST_REDIS_URL is set, and always under CI (missing Redis then fails). */
const stores = process.env.TEST_REDIS_URL || process.env.CI === "true" ? ["memory", "redis"] : ["memory"];
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15";

async function rejection(promise: Promise<unknown>): Promise<RateLimiterRes> {
  const outcome = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(outcome).toBeInstanceOf(RateLimiterRes);
  return outcome as RateLimiterRes;
}

it("names keys cartwheel:rl:<rule> unless a namespace is given", () => {
  expect(rateLimitKeyPrefix("ip")).toBe("cartwheel:rl:ip");
  expect(rateLimitKeyPrefix("login-address", "test-1")).toBe("test-1:rl:login-address");
});

it("refuses a rule defined twice and names that cannot be a key segment", () => {
  const limiter = createRateLimiterFactory();
  limiter("ip", { points: 1, durationSeconds: 60 });
  expect(() => limiter("ip", { points: 2, durationSeconds: 60 })).toThrow(/"ip" is defined twice/);
  expect(() => limiter("a:b", { points: 1, durationSeconds: 60 })).toThrow(/must match/);
  // Another factory (another app instance) has its own set of rules.
  expect(() => createRateLimiterFactory()("ip", { points: 1, durationSeconds: 60 })).not.toThrow();
});

describe.each(stores)("limiters on the %s store", (store) => {
  const redis = store === "redis" ? new Redis(redisUrl) : null;
  const namespace = `test-${randomUUID()}`;
  beforeAll(async () => {
    // Fails (never skips) when TEST_REDIS_URL/CI promise a Redis that does not answer.
    if (redis && (await redis.ping()) !== "PONG") throw new Error("TEST_REDIS_URL does not answer PING");
  });
  afterAll(async () => {
    if (redis) {
      const keys = await redis.keys(`${namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it("allows the window's points, then rejects with the time left", async () => {
    const limiter = createRateLimiterFactory({ redis, namespace })("window", { points: 3, durationSeconds: 60 });
    expect((await limiter.consume("k", 2)).remainingPoints).toBe(1);
    expect((await limiter.consume("k")).remainingPoints).toBe(0);
    const rejected = await rejection(limiter.consume("k"));
    expect(rejected.remainingPoints).toBe(0);
    expect(retryAfterSeconds(rejected)).toBeGreaterThan(0);
    expect(retryAfterSeconds(rejected)).toBeLessThanOrEqual(60);
    expect((await limiter.consume("other")).remainingPoints).toBe(2);
    // reward and delete give points back, as the login throttle relies on.
    await limiter.reward("other", 1);
    expect((await limiter.consume("other")).remainingPoints).toBe(2);
    await limiter.delete("k");
    expect((await limiter.consume("k")).remainingPoints).toBe(2);
  });
});

describe.each(stores.filter((store) => store === "redis"))("limiters on %s across instances", () => {
  const redis = new Redis(redisUrl);
  const namespace = `test-${randomUUID()}`;
  afterAll(async () => {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("keeps the count in Redis under <namespace>:rl:<rule>:<key>, shared by instances", async () => {
    const window = { points: 4, durationSeconds: 60 };
    const a = createRateLimiterFactory({ redis, namespace })("shared", window);
    const b = createRateLimiterFactory({ redis, namespace })("shared", window);
    await a.consume("203.0.113.9", 3);
    expect(await redis.get(`${namespace}:rl:shared:203.0.113.9`)).toBe("3");
    expect((await b.consume("203.0.113.9")).remainingPoints).toBe(0);
    await rejection(a.consume("203.0.113.9"));
  });
});

describe("while Redis is unreachable", () => {
  it("counts in memory instead, so the limit still holds on this instance", async () => {
    // A port nothing listens on, failing fast like the server's shared client.
    const redis = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    try {
      const limiter = createRateLimiterFactory({ redis, namespace: "down" })("insured", {
        points: 2,
        durationSeconds: 60,
      });
      expect((await limiter.consume("k")).remainingPoints).toBe(1);
      expect((await limiter.consume("k")).remainingPoints).toBe(0);
      await rejection(limiter.consume("k"));
    } finally {
      redis.disconnect();
    }
  });
});
