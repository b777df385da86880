import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedisClient } from "../src/redis.ts";
import { captureLogs, createTestApp, query, type TestApp } from "./support/app.ts";
import { canControlRedis, type ControlledServer, redisServer } from "./support/services.ts";

describe.skipIf(!canControlRedis)("Redis outage", () => {
  let server: ControlledServer;
  let t: TestApp;
  let redis: Redis;
  const redisLogs = captureLogs();

  beforeAll(async () => {
    server = await redisServer();
    redis = createRedisClient(server.url, redisLogs.logger);
    if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
    t = await createTestApp({ redis, rateLimits: { namespace: "outage" }, env: { RATE_LIMIT_IP_PER_MIN: "1000" } });
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
    await server?.destroy();
  });

  const remainingInRedis = async () => {
    const probe = new Redis(server.url, { lazyConnect: true });
    await probe.connect();
    try {
      return Number(await probe.get("outage:rl:ip:198.51.100.7"));
    } finally {
      probe.disconnect();
    }
  };

  it("serves from memory with one WARN while Redis is down, and uses Redis again once it returns", async () => {
    expect((await t.request(query("probe.whoami"))).status).toBe(200);
    expect(await remainingInRedis()).toBe(1);

    await server.stop();
    await vi.waitFor(() => expect(redis.status).not.toBe("ready"), { timeout: 5000 });
    for (let i = 0; i < 5; i++) {
      const res = await t.request(query("probe.whoami"));
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("1000");
    }
    const ready = await t.request("/ready");
    // Still ready: the instance serves from memory, so the balancer must keep it.
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "degraded", degraded: ["redis"] });
    // The client reports the outage on its first failed reconnect attempt.
    await vi.waitFor(() => expect(redisLogs.lines().filter((line) => line.level === "warn")).toHaveLength(1));
    const warnings = redisLogs.lines().filter((line) => line.level === "warn");
    expect(warnings[0]!.msg).toMatch(/redis unavailable/);

    await server.start();
    await vi.waitFor(() => expect(redis.status).toBe("ready"), { timeout: 10_000, interval: 100 });
    expect((await t.request(query("probe.whoami"))).status).toBe(200);
    // Redis restarted empty: this request is counted there again.
    expect(await remainingInRedis()).toBe(1);
    expect((await t.request("/ready")).status).toBe(200);
    expect(redisLogs.lines().filter((line) => line.level === "warn")).toHaveLength(1);
    expect(redisLogs.lines().some((line) => line.msg === "redis reconnected")).toBe(true);
  });
});
