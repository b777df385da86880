// rediss:// against a TLS-only redis-server with a certificate for `localhost`: the CA from
// REDIS_TLS_CA_FILE is trusted, and anything else fails closed with one log line and a
// a degraded /ready that names redis. Under CI=true a missing redis-server fails this file.
import { createRateLimiterFactory } from "@cartwheel/rate-limit";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { redisFromConfig } from "../../src/redis.ts";
import { captureLogs, createTestApp, query } from "../support/app.ts";
import { canControlRedis } from "../support/services.ts";
import { startTlsRedis, type TlsRedis } from "./tls-redis.ts";

describe.skipIf(!canControlRedis)("Redis over TLS (rediss://)", () => {
  let server: TlsRedis;
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startTlsRedis();
  }, 30_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => server?.destroy());

  function connect(env: Record<string, string>) {
    const logs = captureLogs();
    const redis = redisFromConfig(loadConfig(env), logs.logger) as Redis;
    clients.push(redis);
    return { redis, logs };
  }
  const urlFor = (host: string, scheme = "rediss") => `${scheme}://:${server.password}@${host}:${server.port}`;

  /** The one warning the client logs for a connection that cannot be made. */
  async function outageLine(logs: ReturnType<typeof captureLogs>): Promise<string> {
    let line = "";
    await vi.waitFor(() => {
      const warnings = logs.lines().filter((entry) => entry.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toBe("redis unavailable; falling back where possible");
      line = (warnings[0]!.err as { message: string }).message;
    });
    expect(logs.text()).not.toContain(server.password);
    return line;
  }

  it("connects with the CA from REDIS_TLS_CA_FILE and serves shared rate limits through it", async () => {
    const { redis } = connect({ REDIS_URL: urlFor("localhost"), REDIS_TLS_CA_FILE: server.caFile });
    await vi.waitFor(() => expect(redis.status).toBe("ready"), { timeout: 5000 });
    const limiter = createRateLimiterFactory({ redis, namespace: "tls-test" })("ip", {
      points: 5,
      durationSeconds: 60,
    });
    expect((await limiter.consume("203.0.113.9")).remainingPoints).toBe(4);
    expect(await redis.get("tls-test:rl:ip:203.0.113.9")).toBe("1");
  });

  it("fails closed with a CA that did not sign the certificate: one warning, /ready degraded naming redis", async () => {
    const { redis, logs } = connect({ REDIS_URL: urlFor("localhost"), REDIS_TLS_CA_FILE: server.otherCaFile });
    expect(await outageLine(logs)).toMatch(/^self-signed certificate in certificate chain$/);
    expect(redis.status).not.toBe("ready");
    await expect(redis.ping()).rejects.toThrow("Stream isn't writeable and enableOfflineQueue options is false");

    const t = await createTestApp({
      redis,
      rateLimits: { namespace: "tls-wrong-ca" },
      env: { RATE_LIMIT_IP_PER_MIN: "5", RATE_LIMIT_USER_PER_MIN: "5" },
    });
    try {
      // Requests are still served, counted by the per-instance fallback limiter.
      expect((await t.request(query("probe.whoami"))).status).toBe(200);
      const ready = await t.request("/ready");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: "degraded",
        degraded: ["redis"],
        checks: { redis: "unavailable" },
      });
      const notReady = t.logs.lines().filter((entry) => entry.msg === "degraded: redis unavailable");
      expect(notReady).toHaveLength(1);
      expect(notReady[0]!.reasons).toEqual({
        redis: expect.stringMatching(/^not connected \(\w+: self-signed certificate in certificate chain\)$/),
      });
    } finally {
      await t.close();
    }
  });

  it("fails closed on a host the certificate does not name (127.0.0.1 for a localhost certificate)", async () => {
    const { logs } = connect({ REDIS_URL: urlFor("127.0.0.1"), REDIS_TLS_CA_FILE: server.caFile });
    expect(await outageLine(logs)).toMatch(/^Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 /);
  });

  it("trusts only the system CAs without REDIS_TLS_CA_FILE, so a private CA's certificate is refused", async () => {
    const { logs } = connect({ REDIS_URL: urlFor("localhost") });
    expect(await outageLine(logs)).toMatch(/^self-signed certificate in certificate chain$/);
  });

  it("refuses a CA file for a plain redis:// URL, and a CA file that cannot be read", () => {
    expect(() => loadConfig({ REDIS_URL: urlFor("localhost", "redis"), REDIS_TLS_CA_FILE: server.caFile })).toThrow(
      "Invalid environment variable REDIS_TLS_CA_FILE: only applies to rediss:// URLs",
    );
    const logs = captureLogs();
    const config = loadConfig({ REDIS_URL: urlFor("localhost"), REDIS_TLS_CA_FILE: "/nonexistent/ca.crt" });
    expect(() => redisFromConfig(config, logs.logger)).toThrow(
      "REDIS_TLS_CA_FILE /nonexistent/ca.crt cannot be read (ENOENT)",
    );
  });
});
