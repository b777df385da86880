// Live order events across instances: two built server processes on one PostgreSQL and one
// Redis, subscribers through @cartwheel/client's SSE link, changes made through the other
// instance. PostgreSQL and Redis come from TEST_DATABASE_URL / TEST_REDIS_URL (CI=true never skips).
import { testPiiEnv } from "@cartwheel/pii/testing";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CartwheelClient } from "@cartwheel/client";
import { createDatabase, type Database } from "@cartwheel/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Account,
  clientFor,
  percentile,
  registerCustomer,
  registerStaff,
  startRelay,
  watchOrders,
} from "./support/live-orders.ts";
import { postgresForTest, type TestPostgres } from "./support/services.ts";
import { type ServerProcess, startServerProcess, untilReady } from "./support/server-process.ts";

/** One set of PII keys for every process of the file, as a deployment shares them. */
const PII_ENV = testPiiEnv();

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));

function redisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error("TEST_REDIS_URL is not set: these tests need Redis (and never skip)");
  return url;
}

describe("live order events on two instances (PostgreSQL LISTEN/NOTIFY)", () => {
  let postgres: TestPostgres;
  let database: Database;
  let a: ServerProcess;
  let b: ServerProcess;
  let productId: string;
  let staff: Account;
  let staffOnA: CartwheelClient;

  /** The newest event id, so a subscriber starts exactly there (no race with its own start). */
  const head = async () => {
    const [row] = await database.db
      .select({ seq: sql<string | null>`max(${database.schema.orderEvents.seq})::text` })
      .from(database.schema.orderEvents);
    return row?.seq ?? "0";
  };

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);
    postgres = await postgresForTest();
    database = await createDatabase(postgres.url, { migrate: true });
    const [product] = await database.db
      .insert(database.schema.products)
      .values({ slug: `live-${randomUUID()}`, name: "Live widget", description: "", priceCents: 500, stock: 100_000 })
      .returning({ id: database.schema.products.id });
    productId = product!.id;
    const env = {
      NODE_ENV: "production",
      AUTH_SECRET: randomBytes(48).toString("base64"),
      ...PII_ENV,
      DATABASE_URL: postgres.url,
      REDIS_URL: redisUrl(),
      RATE_LIMIT_USER_PER_MIN: "100000",
      RATE_LIMIT_IP_PER_MIN: "100000",
      SHUTDOWN_DRAIN_MS: "200",
      // API-only instances: production mail needs SMTP, and no job runs in these tests.
      WORKER: "off",
    };
    [a, b] = await Promise.all([startServerProcess(bundle, env), startServerProcess(bundle, env)]);
    await Promise.all([untilReady(a), untilReady(b)]);
    staff = await registerStaff(a.url, database);
    staffOnA = clientFor(a.url, staff);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
    await postgres?.release();
  }, 30_000);

  const place = (client: CartwheelClient) =>
    client.orders.place.mutate({ items: [{ productId, quantity: 1 }], idempotencyKey: randomUUID() });

  it("delivers on B each change made through A: 200 changes, p99 under 500 ms", async () => {
    const customer = await registerCustomer(a.url);
    const customerOnA = clientFor(a.url, customer);
    const watcher = watchOrders(clientFor(b.url, staff), { lastEventId: await head() });
    await watcher.started;
    const latencies: number[] = [];
    const expected: string[] = [];
    const timed = async (change: () => Promise<{ id: string }>, toStatus: string) => {
      const before = watcher.events.length;
      const started = performance.now();
      const order = await change();
      expected.push(`${order.id}:${toStatus}`);
      await watcher.until((events) => events.length > before);
      latencies.push(watcher.events[before]!.at - started);
      return order;
    };
    for (let n = 0; n < 50; n++) {
      const order = await timed(() => place(customerOnA), "pending");
      for (const status of ["paid", "shipped", "delivered"] as const) {
        await timed(() => staffOnA.orders.updateStatus.mutate({ id: order.id, status }), status);
      }
    }
    watcher.stop();
    expect(watcher.events.map((event) => `${event.orderId}:${event.toStatus}`)).toEqual(expected);
    expect(latencies).toHaveLength(200);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.info(`live fan-out A → B over 200 changes: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThan(500);
  }, 120_000);

  it("resumes after a 5 s network drop with every missed event, in order, once each", async () => {
    const customer = await registerCustomer(a.url);
    const customerOnA = clientFor(a.url, customer);
    const relay = await startRelay(b.url);
    try {
      const watcher = watchOrders(clientFor(relay.url, customer), { lastEventId: await head() });
      await watcher.started;
      const expected: string[] = [];
      for (let n = 0; n < 5; n++) {
        const order = await place(customerOnA);
        expected.push(`${order.id}:pending`);
        if (n === 1) {
          await watcher.until((events) => events.length === expected.length);
          relay.cut();
        }
        for (const status of ["paid", "shipped", "delivered"] as const) {
          await staffOnA.orders.updateStatus.mutate({ id: order.id, status });
          expected.push(`${order.id}:${status}`);
        }
      }
      expect(expected).toHaveLength(20);
      // Most of the changes were made while the subscriber could not be reached.
      expect(watcher.events.length).toBeLessThan(12);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      relay.restore();
      await watcher.until((events) => events.length >= 20, 20_000);
      // Anything sent twice would have arrived by now too.
      await new Promise((resolve) => setTimeout(resolve, 300));
      watcher.stop();
      expect(watcher.events.map((event) => `${event.orderId}:${event.toStatus}`)).toEqual(expected);
      const ids = watcher.events.map((event) => Number(event.id));
      expect(ids).toEqual(ids.toSorted((x, y) => x - y));
      expect(new Set(ids).size).toBe(20);
    } finally {
      await relay.close();
    }
  }, 60_000);

  it("never shows a customer another customer's events", async () => {
    const [watched, other] = await Promise.all([registerCustomer(a.url), registerCustomer(a.url)]);
    const watcher = watchOrders(clientFor(b.url, watched), { lastEventId: await head() });
    await watcher.started;
    const otherOnA = clientFor(a.url, other);
    for (let n = 0; n < 5; n++) {
      const order = await place(otherOnA);
      await staffOnA.orders.updateStatus.mutate({ id: order.id, status: "paid" });
    }
    const own = await place(clientFor(a.url, watched));
    await watcher.until((events) => events.some((event) => event.orderId === own.id));
    watcher.stop();
    expect(watcher.events.map((event) => [event.userId, event.orderId])).toEqual([[watched.userId, own.id]]);
  }, 30_000);

  it("stops a stream on B at the next event once its session is logged out on A", async () => {
    const customer = await registerCustomer(a.url);
    const customerOnA = clientFor(a.url, customer);
    const watcher = watchOrders(clientFor(b.url, customer), { lastEventId: await head() });
    await watcher.started;
    const order = await place(customerOnA);
    await watcher.until((events) => events.length === 1);
    await customerOnA.auth.logout.mutate({});
    await staffOnA.orders.updateStatus.mutate({ id: order.id, status: "paid" });
    await watcher.until(() => watcher.errors.length > 0);
    watcher.stop();
    expect(watcher.events.map((event) => event.toStatus)).toEqual(["pending"]);
    expect(String(watcher.errors[0])).toMatch(/session ended/i);
  }, 30_000);

  it("ends streams when an instance shuts down, and the client resumes on the other one", async () => {
    const customer = await registerCustomer(a.url);
    const customerOnA = clientFor(a.url, customer);
    // The load balancer: B first, A once B has left.
    const balancer = await startRelay(b.url);
    try {
      const watcher = watchOrders(clientFor(balancer.url, customer), { lastEventId: await head() });
      await watcher.started;
      const first = await place(customerOnA);
      await watcher.until((events) => events.length === 1);
      balancer.pointAt(a.url);
      await b.stop();
      await staffOnA.orders.updateStatus.mutate({ id: first.id, status: "paid" });
      const second = await place(customerOnA);
      await watcher.until((events) => events.length === 3, 20_000);
      watcher.stop();
      expect(watcher.events.map((event) => `${event.orderId}:${event.toStatus}`)).toEqual([
        `${first.id}:pending`,
        `${first.id}:paid`,
        `${second.id}:pending`,
      ]);
      expect(watcher.errors).toEqual([]);
    } finally {
      await balancer.close();
    }
  }, 60_000);
});
