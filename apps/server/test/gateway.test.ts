import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, mutation, query, type TestApp } from "./support/app.ts";

let t: TestApp;
afterEach(async () => t?.close());

describe("request ids", () => {
  it("generates one, echoes it, and passes it to the tRPC context and every log line", async () => {
    t = await createTestApp();
    const res = await t.request(query("probe.whoami"));
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { result: { data: { requestId: string } } };
    expect(body.result.data.requestId).toBe(id);
    const lines = t.logs.lines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.requestId === id)).toBe(true);
  });

  it("keeps a well-formed incoming id and replaces a malformed one", async () => {
    t = await createTestApp();
    const kept = await t.request("/health", { headers: { "X-Request-Id": "edge-4f3a9c2d1b" } });
    expect(kept.headers.get("x-request-id")).toBe("edge-4f3a9c2d1b");
    const replaced = await t.request("/health", { headers: { "X-Request-Id": 'bad id", "level": "fake' } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("appears in tRPC error payloads", async () => {
    t = await createTestApp();
    const res = await t.request(query("probe.nope"), { headers: { "X-Request-Id": "trace-123456789" } });
    const body = (await res.json()) as { error: { data: { requestId: string; code: string } } };
    expect(body.error.data).toMatchObject({ code: "NOT_FOUND", requestId: "trace-123456789" });
  });
});

describe("client IP", () => {
  it("ignores X-Forwarded-For unless TRUST_PROXY names a hop count", async () => {
    t = await createTestApp();
    const spoofed = await t.request(query("probe.whoami"), { headers: { "X-Forwarded-For": "1.2.3.4" } }, "10.0.0.9");
    expect(((await spoofed.json()) as { result: { data: { ip: string } } }).result.data.ip).toBe("10.0.0.9");
    await t.close();

    t = await createTestApp({ env: { TRUST_PROXY: "1" } });
    const headers = { "X-Forwarded-For": "6.6.6.6, 203.0.113.10" };
    const proxied = await t.request(query("probe.whoami"), { headers }, "::ffff:10.0.0.9");
    expect(((await proxied.json()) as { result: { data: { ip: string } } }).result.data.ip).toBe("203.0.113.10");
  });
});

describe("security headers", () => {
  it("locks API responses down and never caches tRPC responses", async () => {
    t = await createTestApp();
    const res = await t.request(query("probe.whoami"));
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("gives web pages a strict same-origin CSP and sends HSTS only in production", async () => {
    t = await createTestApp({ env: { NODE_ENV: "production" } });
    const res = await t.request("/");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });
});

describe("CORS", () => {
  const origin = "https://shop.example.com";

  it("is same-origin only by default", async () => {
    t = await createTestApp();
    const res = await t.request(query("probe.whoami"), { headers: { Origin: origin } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("allows listed origins with credentials, and nobody else", async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: origin } });
    const preflight = await t.request(query("probe.whoami"), {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");

    const listed = await t.request(query("probe.whoami"), { headers: { Origin: origin } });
    expect(listed.headers.get("access-control-allow-origin")).toBe(origin);
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");

    const other = await t.request(query("probe.whoami"), { headers: { Origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("request limits", () => {
  it("answers unexpected methods with 405 and an Allow header", async () => {
    t = await createTestApp();
    const put = await t.request("/trpc/probe.signup", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect(((await put.json()) as { error: { data: { code: string } } }).error.data.code).toBe("METHOD_NOT_SUPPORTED");
    const post = await t.request("/health", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("rejects bodies over the limit with a tRPC-shaped 413", async () => {
    t = await createTestApp({ env: { MAX_BODY_BYTES: "1024" } });
    const big = JSON.stringify({ email: "a@example.com", name: "x".repeat(2000), password: "long enough" });
    const res = await t.request("/trpc/probe.signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: big,
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { message: string; data: { code: string; requestId: string } } };
    expect(body.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.data.requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("access log", () => {
  it("writes one line per request with procedures, status, duration, user and request id", async () => {
    t = await createTestApp();
    const res = await t.request("/trpc/probe.whoami,probe.whoami?batch=1", {
      headers: { Authorization: "Test user-42:customer" },
    });
    expect(res.status).toBe(200);
    const access = t.logs.lines().filter((line) => line.msg === "request");
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: "info",
      method: "GET",
      path: "/trpc/probe.whoami,probe.whoami",
      procedures: ["probe.whoami", "probe.whoami"],
      status: 200,
      userId: "user-42",
      requestId: res.headers.get("x-request-id"),
    });
    expect(typeof access[0]!.durationMs).toBe("number");
  });

  it("never logs passwords, tokens, cookies or Authorization values", async () => {
    t = await createTestApp();
    await t.request("/trpc/probe.signup", {
      ...mutation({ email: "not-an-email", name: "Al", password: "hunter2-secret-pw" }),
      headers: {
        "Content-Type": "application/json",
        Authorization: "Bearer eyJhbGciOi.secret-access-token",
        Cookie: "__Host-refresh=secret-refresh-cookie",
        "X-API-Key": "cwk_secret_api_key",
      },
    });
    await t.request(query("probe.slow", { ms: 0, token: "secret-query-token" }));
    const text = t.logs.text();
    expect(text).toContain('"msg":"request"');
    for (const secret of [
      "hunter2-secret-pw",
      "secret-access-token",
      "secret-refresh-cookie",
      "cwk_secret_api_key",
      "secret-query-token",
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
