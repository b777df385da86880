// Hostile sign-in and credential traffic over HTTP (issues 12 and 13): huge passwords,
// lockout as a weapon, a flood of password checks, truthful API key errors, and tokens of
// users who no longer exist. The real router and authenticate middleware, on SQLite, with
// the login throttle on Redis (TEST_REDIS_URL; required under CI=true).
import { type AddressInfo, connect } from "node:net";
import { appRouter, type Services } from "@cartwheel/api";
import { createAccount, createAuthService, createPasswordHasher } from "@cartwheel/auth";
import { PASSWORD_TOO_LONG } from "@cartwheel/contracts";
import { createMetrics } from "@cartwheel/observability";
import { piiOfEnv, testPiiEnv } from "@cartwheel/pii/testing";
import { serve } from "@hono/node-server";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/services.ts";
import { captureLogs, createTestApp, mutation, query, type TestApp } from "./support/app.ts";

const AUTH_SECRET = "abuse-test-secret-".padEnd(48, "y");
// Known keys, so the auth services a test builds beside the server's seal users alike.
const PII_ENV = testPiiEnv();
const pii = piiOfEnv(PII_ENV);
const redisUrl = process.env.TEST_REDIS_URL;
let redis: Redis | null = null;

interface TrpcError {
  error: { message: string; data: { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> } };
}

const unique = () => crypto.randomUUID().slice(0, 8);
/** A fresh documentation-range address per call, so reruns never meet old Redis counters. */
let hosts = 0;
const freshIp = () => `198.18.${Math.floor(Math.random() * 250)}.${(hosts++ % 250) + 1}`;

beforeAll(async () => {
  if (!redisUrl) {
    if (process.env.CI === "true") throw new Error("TEST_REDIS_URL is not set: Redis tests cannot run under CI=true");
    return;
  }
  // Not assigned to `redis` directly: with `Redis | null` as the contextual type, the compiler
  // infers ioredis' reply-mapping parameter through every command's signature (some 230k
  // type instantiations, seconds of the repository's type check).
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis = client;
  await redis.ping();
});
afterAll(() => redis?.disconnect());

async function app(overrides: (services: Services) => Partial<Services> = () => ({})): Promise<TestApp> {
  const logs = captureLogs();
  const config = loadConfig({ DATABASE_URL: ":memory:", AUTH_SECRET, ...PII_ENV });
  const base = await createServices(config, logs.logger, { metrics: createMetrics({ defaultMetrics: false }), redis });
  const testApp = await createTestApp({
    router: appRouter,
    authenticate: undefined,
    env: { AUTH_SECRET, ...PII_ENV },
    services: { ...base, ...overrides(base) },
  });
  return { ...testApp, logs }; // the services log here, not to createTestApp's own capture
}

const login = (t: TestApp, input: Record<string, unknown>, ip: string, headers: Record<string, string> = {}) => {
  const init = mutation(input);
  return t.request("/trpc/auth.login", { ...init, headers: { ...(init.headers as object), ...headers } }, ip);
};
const deviceCookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("cartwheel_device="))
    ?.split(";")[0];

describe("auth abuse over HTTP", () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it("answers long passwords with a quick 400, bodies past the call budget (70,000 characters, 1 MB) with a quick 413, and keeps serving", async () => {
    t = await app();
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // 20,000 characters fit the 64 KB body budget, so the password rule answers; the larger
      // bodies are refused from their Content-Length before anything reads them.
      for (const [size, status] of [
        [20_000, 400],
        [70_000, 413],
        [1024 * 1024, 413],
      ] as const) {
        const started = performance.now();
        const res = await fetch(`${url}/trpc/auth.register`, {
          ...mutation({ email: `big-${unique()}@example.com`, password: "a".repeat(size), name: "Big" }),
        });
        const body = (await res.json()) as TrpcError;
        const ms = performance.now() - started;
        process.stdout.write(
          `[measure] auth.register with a ${size}-character password: ${res.status} in ${ms.toFixed(0)} ms, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`,
        );
        expect(res.status).toBe(status);
        // The password rule answers on the field; the body budget with a message.
        const answer = status === 400 ? body.error.data.fieldErrors?.password : body.error.message;
        expect(answer).toEqual(
          status === 400
            ? [PASSWORD_TOO_LONG]
            : "The request body is larger than this call accepts (64 KB). Send less, or split it.",
        );
      }
      const after = await fetch(`${url}/trpc/auth.register`, {
        ...mutation({ email: `ok-${unique()}@example.com`, password: "Still serving, thanks", name: "Ok" }),
      });
      expect(after.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  it("100 wrong passwords from 100 addresses cannot lock the owner out of a device that signed in before", async () => {
    t = await app();
    const account = { email: `owner-${unique()}@example.com`, password: "Owner's real passphrase", name: "Owner" };
    const home = freshIp();
    expect((await t.request("/trpc/auth.register", mutation(account), home)).status).toBe(200);
    const first = await login(t, { email: account.email, password: account.password }, home);
    expect(first.status).toBe(200);
    const device = deviceCookieOf(first)!;
    expect(device).toMatch(/^cartwheel_device=[a-z2-7]{32}\.\d+\.[\w-]{43}$/);
    expect(first.headers.getSetCookie().find((c) => c.startsWith("cartwheel_device="))).toMatch(
      /HttpOnly.*SameSite=Strict/,
    );

    for (let i = 0; i < 100; i++) {
      const res = await login(t, { email: account.email, password: `wrong guess ${i}` }, freshIp());
      expect(res.status).toBe(401);
    }
    const attacker = await login(t, { email: account.email, password: "one more guess" }, freshIp());
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(0);
    // Without the cookie (a device never used before) the owner waits too: OWASP's trade-off.
    expect((await login(t, { email: account.email, password: account.password }, freshIp())).status).toBe(429);
    // With it, from a fresh address, the owner signs in at once.
    const owner = await login(t, { email: account.email, password: account.password }, freshIp(), { Cookie: device });
    expect(owner.status).toBe(200);
    // Token transport returns the device token in the body, for the CLI and other clients.
    const viaToken = await login(
      t,
      { email: account.email, password: account.password, transport: "token", deviceToken: device.split("=")[1] },
      freshIp(),
    );
    expect(viaToken.status).toBe(200);
    const data = ((await viaToken.json()) as { result: { data: { deviceToken?: string } } }).result.data;
    expect(data.deviceToken).toMatch(/^[a-z2-7]{32}\./);
    expect(t.logs.text()).toContain("login_failed");
    expect(t.logs.text()).not.toContain(device.split("=")[1]);
  }, 240_000);

  it("sheds logins with 503 SERVICE_UNAVAILABLE and Retry-After while the argon2 queue is full", async () => {
    const tight = createPasswordHasher({ maxConcurrent: 1, maxWaiting: 0 });
    t = await app((base) => ({
      auth: createAuthService({
        database: base.database,
        now: base.now,
        logger: base.logger,
        secret: new TextEncoder().encode(AUTH_SECRET),
        passwordHasher: tight,
        ...pii,
      }),
    }));
    let release!: () => void;
    const held = tight.run(() => new Promise<void>((resolve) => (release = resolve)));
    const res = await login(t, { email: `nobody-${unique()}@example.com`, password: "Some long guess" }, freshIp());
    release();
    await held;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    const body = (await res.json()) as TrpcError;
    expect(body.error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.error.message).toMatch(/busy/);
    const after = await login(t, { email: `nobody-${unique()}@example.com`, password: "Some long guess" }, freshIp());
    expect(after.status).toBe(401);
  });

  it("drops a queued password check when its caller disconnects, so the place goes to the next caller", async () => {
    const tight = createPasswordHasher({ maxConcurrent: 1, maxWaiting: 1 });
    t = await app((base) => ({
      auth: createAuthService({
        database: base.database,
        now: base.now,
        logger: base.logger,
        secret: new TextEncoder().encode(AUTH_SECRET),
        passwordHasher: tight,
        ...pii,
      }),
    }));
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    // Unknown addresses are checked against a dummy hash made on first use: make it now.
    expect(
      (await login(t, { email: `first-${unique()}@example.com`, password: "Some long guess" }, freshIp())).status,
    ).toBe(401);
    let release!: () => void;
    const held = tight.run(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      // A raw HTTP/1.1 login that takes the one place in line, then hangs up.
      const body = JSON.stringify({ email: `gone-${unique()}@example.com`, password: "Some long guess" });
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      socket.write(
        `POST /trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await vi.waitFor(() => expect(tight.hasRoom()).toBe(false), { timeout: 5000 });
      socket.destroy();
      await vi.waitFor(() => expect(tight.hasRoom()).toBe(true), { timeout: 5000 });

      const next = fetch(`http://127.0.0.1:${port}/trpc/auth.login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: `next-${unique()}@example.com`, password: "Some long guess" }),
      });
      await vi.waitFor(() => expect(tight.hasRoom()).toBe(false), { timeout: 5000 });
      release();
      expect((await next).status).toBe(401); // judged, not shed
      expect(t.logs.text()).not.toContain("procedure failed");
    } finally {
      release();
      await held;
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  it("refuses invalid, revoked and expired API keys with 401 saying which, even on public procedures", async () => {
    t = await app();
    const { auth, database, now } = t.services;
    const owner = await createAccount(
      { database, now, ...pii },
      { email: `keys-${unique()}@example.com`, password: "Owner of the keys 1", name: "Keys", role: "admin" },
    );
    const createdBy = { kind: "user", id: owner.id } as const;
    const live = await auth.apiKeys.create({ name: "live", role: "admin", createdBy });
    const revoked = await auth.apiKeys.create({ name: "gone", role: "admin", createdBy });
    await auth.apiKeys.revoke(revoked.id);
    const expiring = await auth.apiKeys.create({
      name: "brief",
      role: "admin",
      createdBy,
      expiresAt: new Date(Date.now() + 1000),
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const cases: Array<[Record<string, string>, string]> = [
      [{ "X-API-Key": "cwk_garbage" }, "The API key is not valid."],
      [{ "X-API-Key": `cwk_${crypto.randomUUID()}.${"a".repeat(32)}` }, "The API key is not valid."],
      [
        { Authorization: `Bearer ${live.key.slice(0, -1)}${live.key.endsWith("a") ? "b" : "a"}` },
        "The API key is not valid.",
      ],
      [{ "X-API-Key": revoked.key }, "This API key was revoked."],
      [{ "X-API-Key": expiring.key }, "This API key has expired."],
    ];
    for (const [headers, message] of cases) {
      for (const path of [query("catalog.list"), query("users.list")]) {
        const res = await t.request(path, { headers });
        expect(res.status).toBe(401);
        expect(((await res.json()) as TrpcError).error.message).toBe(message);
      }
    }
    expect((await t.request(query("users.list"), { headers: { "X-API-Key": live.key } })).status).toBe(200);
    const whoami = await t.request(query("auth.whoami"), { headers: { "X-API-Key": live.key } });
    expect(((await whoami.json()) as { result: { data: unknown } }).result.data).toMatchObject({
      kind: "apiKey",
      apiKey: { id: live.id, name: "live", role: "admin" },
    });
  });

  it("a valid access token of a deleted user gets 401 from orders.place, not a 500", async () => {
    t = await app();
    const product = await t.services.catalog.create(
      { slug: `mug-${unique()}`, name: "Mug", priceCents: 500, stock: 5 },
      null,
    );
    const account = { email: `gone-${unique()}@example.com`, password: "Soon to be deleted", name: "Gone" };
    const ip = freshIp();
    await t.request("/trpc/auth.register", mutation({ ...account, transport: "token" }), ip);
    const signedIn = await t.request("/trpc/auth.login", mutation({ ...account, transport: "token" }), ip);
    const { accessToken } = ((await signedIn.json()) as { result: { data: { accessToken: string } } }).result.data;
    const bearer = { Authorization: `Bearer ${accessToken}` };
    expect((await t.request(query("auth.me"), { headers: bearer })).status).toBe(200); // now remembered as active

    const { db, schema: s } = t.services.database;
    await db.delete(s.users); // the only user: deleted behind the service's back (sessions cascade)

    const place = () =>
      t.request("/trpc/orders.place", {
        ...mutation({ items: [{ productId: product.id, quantity: 1 }], idempotencyKey: crypto.randomUUID() }),
        headers: { "Content-Type": "application/json", ...bearer },
      });
    // This instance still trusts the token for a moment: the insert's foreign key fails, mapped to 401.
    const cached = await place();
    expect(cached.status).toBe(401);
    expect(((await cached.json()) as TrpcError).error.data.code).toBe("UNAUTHORIZED");
    // An instance that has not seen the user checks and treats the token as anonymous.
    const other = await createTestApp({
      router: appRouter,
      authenticate: undefined,
      services: {
        ...t.services,
        auth: createAuthService({
          database: t.services.database,
          now: t.services.now,
          logger: t.services.logger,
          secret: new TextEncoder().encode(AUTH_SECRET),
          ...pii,
        }),
      },
    });
    const fresh = await other.request("/trpc/orders.place", {
      ...mutation({ items: [{ productId: product.id, quantity: 1 }], idempotencyKey: crypto.randomUUID() }),
      headers: { "Content-Type": "application/json", ...bearer },
    });
    expect(fresh.status).toBe(401);
    expect((await other.request(query("auth.me"), { headers: bearer })).status).toBe(401);
    expect(t.logs.text()).toContain('"procedure":"orders.place"');
    expect(t.logs.text()).not.toContain('"level":50'); // rejected, not an error-level "procedure failed"
  });
});
