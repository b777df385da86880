import { Redis } from "ioredis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApp, mutation, query, type TestApp } from "./support/app.ts";

let t: TestApp;
afterEach(async () => t?.close());

describe("/health and /ready", () => {
  it("/health answers without touching dependencies", async () => {
    t = await createTestApp();
    const ping = vi.spyOn(t.services.database, "ping");
    const res = await t.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(ping).not.toHaveBeenCalled();
  });

  it("/ready pings the database", async () => {
    t = await createTestApp();
    const res = await t.request("/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok" } });
  });

  it("/ready answers 503 naming the failed dependency", async () => {
    t = await createTestApp();
    vi.spyOn(t.services.database, "ping").mockRejectedValue(new Error("connection refused"));
    const res = await t.request("/ready");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      failed: ["database"],
      checks: { database: "unavailable" },
    });
  });

  it("/ready reports Redis as degraded, still 200, when it is configured but unreachable", async () => {
    // Nothing listens on port 1: the client can never connect.
    const redis = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    t = await createTestApp({ redis });
    const res = await t.request("/ready");
    // Every Redis use falls back to memory, so the instance stays in the balancer's rotation.
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "degraded",
      degraded: ["redis"],
      checks: { database: "ok", redis: "unavailable" },
    });
    redis.disconnect();
  });

  it("/ready reports shutting down while draining", async () => {
    t = await createTestApp({ isDraining: () => true });
    const res = await t.request("/ready");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ failed: ["shutting-down"] });
  });
});

describe("/version", () => {
  it("reports package version, commit, Node version and uptime", async () => {
    t = await createTestApp({ env: { GIT_COMMIT: "0123456789abcdef0123456789abcdef01234567" } });
    const body = await (await t.request("/version")).json();
    expect(body).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      commit: "0123456789abcdef0123456789abcdef01234567",
      node: process.version,
      uptimeSeconds: expect.any(Number),
    });
  });
});

describe("/metrics", () => {
  it("exposes the Prometheus text format with every metric family", async () => {
    t = await createTestApp();
    await t.request(query("probe.whoami"));
    await t.request(query("catalog.list", {}));
    await t.request("/trpc/probe.signup", mutation({ email: "a@example.com", name: "Ann", password: "long enough" }));
    const res = await t.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    for (const family of [
      "cartwheel_http_request_duration_seconds_bucket",
      'cartwheel_trpc_procedure_duration_seconds_bucket{le="0.001",procedure="probe.whoami",type="query",outcome="ok"}',
      "cartwheel_trpc_errors_total",
      'cartwheel_db_query_duration_seconds_count{dialect="sqlite"}',
      "cartwheel_rate_limit_rejections_total",
      "cartwheel_cache_hits_total",
      "cartwheel_cache_misses_total",
      "cartwheel_signups_total",
      "cartwheel_logins_total",
      "cartwheel_orders_placed_total",
      "cartwheel_revenue_cents_total",
    ]) {
      expect(text).toContain(family);
    }
  });

  it("in production requires the METRICS_TOKEN bearer", async () => {
    const token = "scrape-token-0123456789";
    t = await createTestApp({ env: { NODE_ENV: "production", METRICS_TOKEN: token } });
    expect((await t.request("/metrics")).status).toBe(401);
    expect((await t.request("/metrics", { headers: { Authorization: "Bearer wrong-token-000000000" } })).status).toBe(
      401,
    );
    expect((await t.request("/metrics", { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("in production without a token is switched off", async () => {
    t = await createTestApp({ env: { NODE_ENV: "production" } });
    expect((await t.request("/metrics")).status).toBe(404);
  });
});
