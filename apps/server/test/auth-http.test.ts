// Auth through the real Hono app: authenticate middleware, cookies, same-origin checks,
// error shapes and headers. The flows' dialect behaviour is covered per backend in
// packages/auth; this HTTP glue is the same whatever the database, so it runs on SQLite.
import { testPiiEnv } from "@cartwheel/pii/testing";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appRouter } from "@cartwheel/api";
import { createAccount } from "@cartwheel/auth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAuthSecret } from "../src/auth-secret.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { createTestApp, mutation, type TestApp } from "./support/app.ts";

const OWN = "http://localhost";
const account = { email: "http-user@example.com", password: "Velvet lanterns hum", name: "Hattie" };
const post = (input: unknown, headers: Record<string, string> = {}): RequestInit => {
  const init = mutation(input);
  return { ...init, headers: { ...(init.headers as Record<string, string>), ...headers } };
};
const refreshCookieOf = (res: Response) =>
  res.headers.getSetCookie().find((cookie) => cookie.startsWith("cartwheel_refresh="));
const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;
const bodyOf = async (res: Response) => ((await res.json()) as { result: { data: unknown } }).result.data;

/** An admin API key whose owner is a fresh active admin (keys need a live owner). */
async function adminKey(t: TestApp, name = "ops"): Promise<string> {
  const { auth, database, now } = t.services;
  const owner = await createAccount(
    { database, now, ...t.pii },
    {
      email: `owner-${crypto.randomUUID()}@example.com`,
      password: "Owner of the keys 1",
      name: "Owner",
      role: "admin",
    },
  );
  return (await auth.apiKeys.create({ name, role: "admin", createdBy: { kind: "user", id: owner.id } })).key;
}

describe("auth over HTTP", () => {
  let t: TestApp;
  beforeEach(async () => {
    // The real router and, with `authenticate` left unset, the real middleware (app.ts default).
    t = await createTestApp({ router: appRouter, authenticate: undefined });
  });
  afterEach(async () => t.close());

  async function login(headers: Record<string, string> = { Origin: OWN }) {
    await t.request("/trpc/auth.register", post(account, { Origin: OWN }));
    return t.request("/trpc/auth.login", post({ email: account.email, password: account.password }, headers));
  }

  it("sets the refresh cookie HttpOnly, SameSite=Lax, Path=/ (not Secure on http://localhost)", async () => {
    const res = await login();
    expect(res.status).toBe(200);
    const cookie = refreshCookieOf(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=(604800|60479\d)/); // seven days, the idle lifetime
    expect(cookie).not.toMatch(/Secure/);
    const body = (await res.json()) as { result: { data: Record<string, unknown> } };
    expect(body.result.data).not.toHaveProperty("refreshToken");

    const secure = await t.request(
      "https://shop.example/trpc/auth.login",
      post({ email: account.email, password: account.password }, { Origin: "https://shop.example" }),
    );
    expect(refreshCookieOf(secure)).toMatch(/Secure/);
  });

  it("authenticates Bearer access tokens and API keys (Bearer or X-API-Key); bad ones get 401", async () => {
    const res = await login();
    const { accessToken } = ((await res.json()) as { result: { data: { accessToken: string } } }).result.data;
    const me = await t.request("/trpc/auth.me", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: { email: string } } }).result.data.email).toBe(account.email);
    expect((await t.request("/trpc/auth.me", { headers: { Authorization: "Bearer nope" } })).status).toBe(401);

    const key = await adminKey(t);
    expect((await t.request("/trpc/users.list", { headers: { "X-API-Key": key } })).status).toBe(200);
    expect((await t.request("/trpc/apiKeys.list", { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    const customer = await t.request("/trpc/users.list", { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(customer.status).toBe(403);
  });

  it("refuses cookie refresh and logout from another origin with 403, allows our own", async () => {
    const cookie = cookiePair(refreshCookieOf(await login())!);
    const foreign: Record<string, string>[] = [
      { Cookie: cookie, Origin: "https://evil.example" },
      { Cookie: cookie, "Sec-Fetch-Site": "cross-site" },
      { Cookie: cookie },
    ];
    for (const headers of foreign) {
      expect((await t.request("/trpc/auth.refresh", post({}, headers))).status).toBe(403);
      expect((await t.request("/trpc/auth.logout", post({}, headers))).status).toBe(403);
    }
    const fromFetchMetadata = await t.request(
      "/trpc/auth.refresh",
      post({}, { Cookie: cookie, "Sec-Fetch-Site": "same-origin" }),
    );
    expect(fromFetchMetadata.status).toBe(200);
    const rotated = cookiePair(refreshCookieOf(fromFetchMetadata)!);
    expect(rotated).not.toBe(cookie);

    const logout = await t.request("/trpc/auth.logout", post({}, { Cookie: rotated, Origin: OWN }));
    expect(logout.status).toBe(200);
    expect(refreshCookieOf(logout)).toMatch(/Max-Age=0/);
    const dead = await t.request("/trpc/auth.refresh", post({}, { Cookie: rotated, Origin: OWN }));
    expect(dead.status).toBe(401);
    // A cookie that names no live session is deleted, so the browser stops sending it.
    expect(refreshCookieOf(dead)).toMatch(/Max-Age=0/);
  });

  it("resumes a browser session from the cookie, answering null (not 401) when there is none", async () => {
    const anonymous = await t.request("/trpc/auth.resume", post(undefined, { Origin: OWN }));
    expect(anonymous.status).toBe(200);
    expect(await bodyOf(anonymous)).toBeNull();

    const cookie = cookiePair(refreshCookieOf(await login())!);
    expect(
      (await t.request("/trpc/auth.resume", post(undefined, { Cookie: cookie, Origin: "https://evil.example" })))
        .status,
    ).toBe(403);
    const resumed = await t.request("/trpc/auth.resume", post(undefined, { Cookie: cookie, Origin: OWN }));
    expect(resumed.status).toBe(200);
    expect(await bodyOf(resumed)).toMatchObject({ user: { email: account.email }, accessToken: expect.any(String) });
    const rotated = cookiePair(refreshCookieOf(resumed)!);
    expect(rotated).not.toBe(cookie);

    await t.request("/trpc/auth.logout", post({}, { Cookie: rotated, Origin: OWN }));
    const ended = await t.request("/trpc/auth.resume", post(undefined, { Cookie: rotated, Origin: OWN }));
    expect(ended.status).toBe(200);
    expect(await bodyOf(ended)).toBeNull();
    expect(refreshCookieOf(ended)).toMatch(/Max-Age=0/);
  });

  it("exposes register problems per field, answers a taken address as a new one, and throttles with 429 and Retry-After", async () => {
    const weak = await t.request("/trpc/auth.register", post({ ...account, password: "password1" }));
    expect(weak.status).toBe(400);
    const weakBody = (await weak.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } };
    expect(weakBody.error.data.fieldErrors.password).toEqual([expect.stringMatching(/too common/)]);
    const created = await t.request("/trpc/auth.register", post(account));
    const taken = await t.request("/trpc/auth.register", post(account));
    expect([created.status, taken.status]).toEqual([200, 200]);
    const createdBody = await created.text();
    expect(await taken.text()).toBe(createdBody);
    expect(JSON.parse(createdBody)).toEqual({ result: { data: { status: "check_your_email" } } });
    expect(taken.headers.getSetCookie()).toEqual([]);

    let res = new Response();
    for (let i = 0; i < 6; i++) {
      res = await t.request("/trpc/auth.login", post({ email: account.email, password: "Wrong but long" }));
    }
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("locks a disabled user out on the very next request, and never logs secrets", async () => {
    const { result } = (await (await login()).json()) as {
      result: { data: { accessToken: string; user: { id: string } } };
    };
    const bearer = { Authorization: `Bearer ${result.data.accessToken}` };
    expect((await t.request("/trpc/auth.me", { headers: bearer })).status).toBe(200);
    const key = await adminKey(t, "admin");
    const disabled = await t.request(
      "/trpc/users.disable",
      post({ userId: result.data.user.id }, { "X-API-Key": key }),
    );
    expect(disabled.status).toBe(200);
    expect((await t.request("/trpc/auth.me", { headers: bearer })).status).toBe(401);

    const logs = t.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [account.password, result.data.accessToken, key]) expect(logs).not.toContain(secret);
  });
});

describe("PII_KEYS and PII_INDEX_KEY", () => {
  const secret = { AUTH_SECRET: "x".repeat(32) };

  it("are required in production, and a malformed ring is refused without quoting its key", () => {
    const { PII_KEYS, PII_INDEX_KEY } = testPiiEnv();
    expect(() => loadConfig({ NODE_ENV: "production", ...secret })).toThrow(/PII_KEYS: required in production/);
    expect(() => loadConfig({ NODE_ENV: "production", ...secret, PII_KEYS })).toThrow(
      /PII_INDEX_KEY: required in production/,
    );
    const shortKey = "k1:c2hvcnQ:active";
    expect(() => loadConfig({ NODE_ENV: "production", ...secret, PII_KEYS: shortKey, PII_INDEX_KEY })).toThrow(
      /PII_KEYS: .*32 bytes/,
    );
    let refusal = "";
    try {
      loadConfig({ ...secret, PII_KEYS: "k1:c2hvcnQ:active" });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/PII_KEYS/);
    expect(refusal).not.toContain("c2hvcnQ");
    expect(loadConfig({ NODE_ENV: "production", ...secret, PII_KEYS, PII_INDEX_KEY }).PII_KEYS).toBe(PII_KEYS);
  });
});

describe("AUTH_SECRET", () => {
  it("is required in production, at least 32 bytes, with one clear line", () => {
    expect(() => loadConfig({ NODE_ENV: "production", ...testPiiEnv() })).toThrow(
      new ConfigError(
        "Invalid environment variable AUTH_SECRET: required in production: at least 32 random bytes (openssl rand -base64 48)",
      ),
    );
    expect(() => loadConfig({ NODE_ENV: "production", AUTH_SECRET: "short", ...testPiiEnv() })).toThrow(
      /AUTH_SECRET: must be at least 32 bytes/,
    );
    expect(
      loadConfig({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), ...testPiiEnv() }).AUTH_SECRET,
    ).toHaveLength(32);
  });

  it("is generated once in development and kept beside the SQLite file, owner-only", () => {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-secret-"));
    try {
      const config = { AUTH_SECRET: undefined, DATABASE_URL: `file:${join(dir, "data", "cartwheel.db")}` };
      const first = resolveAuthSecret(config);
      const file = join(dir, "data", "auth-secret");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.byteLength).toBeGreaterThanOrEqual(32);
      expect(resolveAuthSecret(config)).toEqual(first);
      expect(readFileSync(file, "utf8").trim()).toBe(new TextDecoder().decode(first));
      chmodSync(file, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
