// Production topology: two built server processes (dist/index.mjs, NODE_ENV=production) on
// one PostgreSQL and one Redis must behave as one service: rate limits, access-token
// revocation and orders are shared, not per instance.
//
// PostgreSQL and Redis come from TEST_DATABASE_URL / TEST_REDIS_URL (always under CI=true,
// so a missing service fails the run), otherwise from servers this file starts itself.
import { testPiiEnv } from "@cartwheel/pii/testing";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@cartwheel/db";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canControlPostgres,
  canControlRedis,
  type ControlledServer,
  postgresForTest,
  redisServer,
  type TestPostgres,
  usesProvidedPostgres,
} from "./support/services.ts";
import { type ServerProcess, startServerProcess, untilReady } from "./support/server-process.ts";

/** One set of PII keys for every process of the file, as a deployment shares them. */
const PII_ENV = testPiiEnv();

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));
const IP_LIMIT = 6;
const useProvidedRedis = process.env.CI === "true" || Boolean(process.env.TEST_REDIS_URL);
const canRun = (usesProvidedPostgres || canControlPostgres) && (useProvidedRedis || canControlRedis);

/**
 * The instances trust one proxy hop, as behind the load balancer, so each scenario gets its
 * own client IP: rate-limit buckets never mix with each other or with other test runs
 * sharing the same Redis database.
 */
const freshClientIp = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::7`;

interface Client {
  ip: string;
  token?: string;
}

async function call(instance: ServerProcess, client: Client, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": client.ip };
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${instance.url}/trpc/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const queryPath = (procedure: string, input: unknown) =>
  `${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

async function data<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: { data: T } }).result.data;
}

/** Registers, then signs in on the same instance (sign-up signs nobody in); answers the sign-in. */
async function signUp(instance: ServerProcess, client: Client, who: { email: string; name: string }) {
  const password = "correct horse battery staple 42";
  await data(await call(instance, client, "auth.register", { ...who, password, transport: "token" }));
  return call(instance, client, "auth.login", { email: who.email, password, transport: "token" });
}

describe.skipIf(!canRun)("two server instances on one PostgreSQL and one Redis", () => {
  const owned: ControlledServer[] = [];
  const instances: ServerProcess[] = [];
  let postgres: TestPostgres | undefined;
  let a: ServerProcess;
  let b: ServerProcess;
  let productId: string;

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);

    postgres = await postgresForTest();
    const databaseUrl = postgres.url;
    let redisUrl: string;
    if (useProvidedRedis) {
      redisUrl = process.env.TEST_REDIS_URL ?? "";
      if (!redisUrl) throw new Error("TEST_REDIS_URL is not set: Redis tests cannot run (CI=true never skips them)");
      const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await probe.connect();
        await probe.ping();
      } finally {
        probe.disconnect();
      }
    } else {
      const redis = await redisServer();
      owned.push(redis);
      redisUrl = redis.url;
    }

    // Production never migrates on start: apply them as the deploy's migrate step would.
    const database = await createDatabase(databaseUrl, { migrate: true });
    try {
      const [product] = await database.db
        .insert(database.schema.products)
        .values({ slug: `shared-${randomUUID()}`, name: "Shared widget", description: "", priceCents: 1250, stock: 10 })
        .returning({ id: database.schema.products.id });
      productId = product!.id;
    } finally {
      await database.close();
    }

    const env = {
      NODE_ENV: "production",
      // API instances only: production mails through SMTP, and these tests have no mail to send.
      WORKER: "off",
      AUTH_SECRET: randomBytes(48).toString("base64"),
      ...PII_ENV,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      TRUST_PROXY: "1",
      RATE_LIMIT_IP_PER_MIN: String(IP_LIMIT),
    };
    [a, b] = await Promise.all([startServerProcess(bundle, env), startServerProcess(bundle, env)]);
    instances.push(a, b);
    // As the load balancer does: no traffic until /ready says the database and Redis answer.
    // Before that a request may be counted by the per-instance fallback limiter.
    await Promise.all([untilReady(a), untilReady(b)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await postgres?.release();
    await Promise.all(owned.map((server) => server.destroy()));
  }, 30_000);

  it("runs two separate processes", () => {
    expect(a.pid).not.toBe(b.pid);
    expect(a.url).not.toBe(b.url);
  });

  it("shares one rate limit across both instances", async () => {
    const client = { ip: freshClientIp() };
    const remaining: (string | null)[] = [];
    for (let n = 0; n < IP_LIMIT; n++) {
      const response = await call(n % 2 === 0 ? a : b, client, queryPath("catalog.list", {}));
      expect(response.status).toBe(200);
      remaining.push(response.headers.get("ratelimit-remaining"));
      await response.body?.cancel();
    }
    // One counter, alternately decremented by A and B.
    expect(remaining).toEqual(["5", "4", "3", "2", "1", "0"]);
    for (const instance of [a, b]) {
      const refused = await call(instance, client, queryPath("catalog.list", {}));
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      await refused.body?.cancel();
    }
    // Another client is unaffected: the limit is per IP, not global.
    expect((await call(b, { ip: freshClientIp() }, queryPath("catalog.list", {}))).status).toBe(200);
  });

  it("rejects on B the access token of a session logged out on A, on the very next request", async () => {
    const client: Client = { ip: freshClientIp() };
    const session = await data<{ accessToken: string; refreshToken: string }>(
      await signUp(a, client, { email: `multi-${randomUUID()}@example.test`, name: "Multi" }),
    );
    client.token = session.accessToken;
    expect(await data<{ name: string }>(await call(b, client, "auth.me"))).toMatchObject({ name: "Multi" });

    expect(await data(await call(a, client, "auth.logout", {}))).toEqual({ ok: true });

    const afterLogout = await call(b, client, "auth.me");
    expect(afterLogout.status).toBe(401);
    await afterLogout.body?.cancel();
  });

  it("shows through B an order placed through A", async () => {
    const client: Client = { ip: freshClientIp() };
    const { accessToken } = await data<{ accessToken: string }>(
      await signUp(b, client, { email: `buyer-${randomUUID()}@example.test`, name: "Buyer" }),
    );
    client.token = accessToken;
    const placed = await data<{ id: string; totalCents: number }>(
      await call(a, client, "orders.place", {
        items: [{ productId, quantity: 2 }],
        idempotencyKey: randomUUID(),
      }),
    );
    expect(placed.totalCents).toBe(2500);

    const seen = await data<{ id: string; items: { productId: string; quantity: number }[] }>(
      await call(b, client, queryPath("orders.byId", { id: placed.id })),
    );
    expect(seen).toMatchObject({ id: placed.id, items: [{ productId, quantity: 2 }] });
    const mine = await data<{ items: { id: string }[] }>(await call(b, client, queryPath("orders.mine", {})));
    expect(mine.items.map((order) => order.id)).toEqual([placed.id]);
  });
});
