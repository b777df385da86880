import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, query, type TestApp } from "./support/app.ts";
import { rateLimitKeyForIp, resolveClientIp } from "../src/middleware/client-ip.ts";
import { type RateLimitRow, rateLimitTable } from "../src/rate-limit-rules.ts";

/** Memory always; Redis when TEST_REDIS_URL is set, and always under CI (missing Redis then fails). */
function stores(): ("memory" | "redis")[] {
  return process.env.TEST_REDIS_URL || process.env.CI === "true" ? ["memory", "redis"] : ["memory"];
}

const as = (user: string) => ({ headers: { Authorization: `Test ${user}:customer` } });
const limits = (ipPerMinute: number, userPerMinute: number) => ({
  RATE_LIMIT_IP_PER_MIN: String(ipPerMinute),
  RATE_LIMIT_USER_PER_MIN: String(userPerMinute),
});
const batch = (n: number) => `/trpc/${Array.from({ length: n }, () => "probe.whoami").join(",")}?batch=1`;

describe("IP keys", () => {
  it("counts IPv6 clients per /64 and IPv4 per address", () => {
    expect(rateLimitKeyForIp("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForIp("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(rateLimitKeyForIp("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(rateLimitKeyForIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(rateLimitKeyForIp("192.0.2.1")).toBe("192.0.2.1");
  });

  it("trusts exactly TRUST_PROXY hops of X-Forwarded-For", () => {
    const xff = "9.9.9.9, 203.0.113.5, 10.0.0.2";
    expect(resolveClientIp("10.0.0.1", xff, 0)).toBe("10.0.0.1");
    expect(resolveClientIp("10.0.0.1", xff, 1)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.1", xff, 2)).toBe("203.0.113.5");
    expect(resolveClientIp("10.0.0.1", "garbage, 203.0.113.5", 3)).toBe("203.0.113.5");
  });
});

describe.each(stores())("rate limits with the %s store", (store) => {
  const redis = store === "redis" ? new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15") : null;
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  beforeAll(async () => {
    // Fails (never skips) when TEST_REDIS_URL/CI promise a Redis that does not answer.
    if (redis && (await redis.ping()) !== "PONG") throw new Error("TEST_REDIS_URL does not answer PING");
  });
  afterAll(async () => {
    await redis?.quit();
  });

  async function limitedApp(
    ipPerMinute: number,
    userPerMinute: number,
    more: { env?: Record<string, string>; table?: readonly RateLimitRow[] } = {},
  ) {
    const env = { TRPC_MAX_BATCH: "20", ...limits(ipPerMinute, userPerMinute), ...more.env };
    const rateLimits = { namespace: `test:${randomUUID()}`, table: more.table };
    const created = await createTestApp({ rateLimits, redis, env });
    apps.push(created);
    return created;
  }

  it("counts every call in a batch and answers 429 with Retry-After and RateLimit headers", async () => {
    const t = await limitedApp(10, 100);
    const first = await t.request(batch(10));
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-limit")).toBe("10");
    expect(first.headers.get("ratelimit-remaining")).toBe("0");

    const limited = await t.request(query("probe.whoami"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-limit")).toBe("10");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(limited.headers.get("ratelimit-reset"))).toBeLessThanOrEqual(60);
    const body = (await limited.json()) as { error: { message: string; data: { code: string; httpStatus: number } } };
    expect(body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429 });
    expect(body.error.message).toMatch(/10 calls a minute/);

    // Another client is unaffected.
    expect((await t.request(query("probe.whoami"), undefined, "198.51.100.99")).status).toBe(200);
    const metrics = await (await t.request("/metrics")).text();
    expect(metrics).toContain('cartwheel_rate_limit_rejections_total{rule="ip"} 1');
  });

  it("caps batches with a clear error before counting", async () => {
    const t = await limitedApp(1000, 1000);
    const res = await t.request(batch(21));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/at most 20 calls; this one has 21/);
    expect((await t.request(batch(20))).headers.get("ratelimit-remaining")).toBe("980");
  });

  it("limits each authenticated user separately from the IP limit", async () => {
    const t = await limitedApp(1000, 3);
    expect((await t.request(batch(3), as("alice"))).status).toBe(200);
    const limited = await t.request(query("probe.whoami"), as("alice"));
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(/this account/);
    expect((await t.request(query("probe.whoami"), as("bob"))).status).toBe(200);
    expect((await t.request(query("probe.whoami"))).status).toBe(200);
  });

  it("limits a caller with an API key by the api-key rule, not the user rule", async () => {
    const t = await limitedApp(1000, 2, { env: { RATE_LIMIT_API_KEY_PER_MIN: "5" } });
    const key = { headers: { Authorization: "TestKey k1:admin" } };
    const first = await t.request(batch(4), key); // more than a user may make
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-limit")).toBe("5");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect((await t.request(query("probe.whoami"), key)).status).toBe(200);
    const limited = await t.request(query("probe.whoami"), key);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit-limit")).toBe("5");
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
      /^Too many requests from this API key: the limit is 5 calls a minute\. Retry in \d+ s\.$/,
    );
    // A user with the same id has an allowance of its own, and the user rule's.
    const user = await t.request(query("probe.whoami"), as("k1"));
    expect(user.status).toBe(200);
    expect(user.headers.get("ratelimit-limit")).toBe("2");
    const metrics = await (await t.request("/metrics")).text();
    expect(metrics).toContain('cartwheel_rate_limit_rejections_total{rule="api-key"} 1');
    expect(metrics).not.toContain('{rule="user"}');
  });

  it("applies a rule only to the procedures its pattern matches", async () => {
    const table: RateLimitRow[] = [
      ...rateLimitTable,
      { rule: "probe-db", match: "probe.d*", key: "ip", setting: "RATE_LIMIT_API_KEY_PER_MIN", windowSeconds: 60 },
    ];
    const t = await limitedApp(1000, 1000, { env: { RATE_LIMIT_API_KEY_PER_MIN: "2" }, table });
    // One of the two calls matches, so the batch costs the probe-db rule one point.
    expect((await t.request("/trpc/probe.whoami,probe.db?batch=1")).status).toBe(200);
    expect((await t.request(query("probe.db"))).status).toBe(200);
    const limited = await t.request(query("probe.db"));
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
      /^Too many requests from this address: the limit is 2 calls a minute/,
    );
    const other = await t.request(query("probe.whoami"));
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit-limit")).toBe("1000");
  });

  it("shares one IPv6 /64 allowance", async () => {
    const t = await limitedApp(2, 100);
    expect((await t.request(query("probe.whoami"), undefined, "2001:db8:7:7::1")).status).toBe(200);
    expect((await t.request(query("probe.whoami"), undefined, "2001:db8:7:7::2")).status).toBe(200);
    expect((await t.request(query("probe.whoami"), undefined, "2001:db8:7:7:ffff::3")).status).toBe(429);
    expect((await t.request(query("probe.whoami"), undefined, "2001:db8:7:8::1")).status).toBe(200);
  });
});

describe.each(stores().filter((store) => store === "redis"))("rate limits across instances (%s)", () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/15");
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis.quit();
  });

  async function limitedApp(ipPerMinute: number, userPerMinute: number, namespace: string) {
    await redis.ping();
    const created = await createTestApp({ rateLimits: { namespace }, redis, env: limits(ipPerMinute, userPerMinute) });
    apps.push(created);
    return created;
  }

  it("shares the limit between server instances", async () => {
    const namespace = `test:${randomUUID()}`;
    const [a, b] = [await limitedApp(4, 100, namespace), await limitedApp(4, 100, namespace)];
    expect((await a.request(batch(2))).status).toBe(200);
    expect((await b.request(batch(2))).status).toBe(200);
    expect((await a.request(query("probe.whoami"))).status).toBe(429);
    expect((await b.request(query("probe.whoami"))).status).toBe(429);
    expect(await redis.keys(`${namespace}:rl:ip:*`)).toEqual([`${namespace}:rl:ip:198.51.100.7`]);
  });
});
