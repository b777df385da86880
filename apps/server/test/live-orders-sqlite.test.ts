// Live order events on SQLite: one built server process (its fan-out is in-process), with
// subscribers through @cartwheel/client's SSE link; limits and metrics of the streams.
import { mkdtempSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CartwheelClient } from "@cartwheel/client";
import { MAX_SUBSCRIPTIONS_PER_USER } from "@cartwheel/contracts";
import { createDatabase, type Database } from "@cartwheel/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Account,
  clientFor,
  registerCustomer,
  registerStaff,
  startRelay,
  watchOrders,
} from "./support/live-orders.ts";
import { type ServerProcess, startServerProcess, untilReady } from "./support/server-process.ts";

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));

describe("live order events on SQLite (one process)", () => {
  let dir: string;
  let server: ServerProcess;
  let database: Database;
  let productId: string;
  let staff: Account;
  let staffClient: CartwheelClient;

  /** The newest event id, so a subscriber starts exactly there (no race with its own start). */
  const head = async () => {
    const e = database.schema.orderEvents;
    const [row] = await database.db.select({ seq: sql<number | null>`max(${e.seq})` }).from(e);
    return String(row?.seq ?? 0);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cartwheel-live-"));
    const file = `file:${join(dir, "cartwheel.db")}`;
    database = await createDatabase(file, { migrate: true });
    const [product] = await database.db
      .insert(database.schema.products)
      .values({ slug: `live-${randomUUID()}`, name: "Live widget", description: "", priceCents: 500, stock: 10_000 })
      .returning({ id: database.schema.products.id });
    productId = product!.id;
    server = await startServerProcess(bundle, {
      DATABASE_URL: file,
      AUTH_SECRET: "live-orders-sqlite-test-secret".padEnd(48, "x"),
      RATE_LIMIT_USER_PER_MIN: "100000",
      RATE_LIMIT_IP_PER_MIN: "100000",
    });
    await untilReady(server);
    staff = await registerStaff(server.url, database);
    staffClient = clientFor(server.url, staff);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const place = (client: CartwheelClient) =>
    client.orders.place.mutate({ items: [{ productId, quantity: 1 }], idempotencyKey: randomUUID() });

  it("streams placed, status changed and cancelled to the customer and to staff, each with the new state", async () => {
    const customer = await registerCustomer(server.url);
    const customerClient = clientFor(server.url, customer);
    const lastEventId = await head();
    const mine = watchOrders(customerClient, { lastEventId });
    const paidOnly = watchOrders(staffClient, { lastEventId, status: "paid" });
    await Promise.all([mine.started, paidOnly.started]);
    const first = await place(customerClient);
    await staffClient.orders.updateStatus.mutate({ id: first.id, status: "paid" });
    const second = await place(customerClient);
    await customerClient.orders.cancel.mutate({ id: second.id });
    await mine.until((events) => events.length === 4);
    await paidOnly.until((events) => events.length === 1);
    mine.stop();
    paidOnly.stop();
    expect(mine.events.map((event) => [event.orderId, event.type, event.toStatus])).toEqual([
      [first.id, "placed", "pending"],
      [first.id, "status_changed", "paid"],
      [second.id, "placed", "pending"],
      [second.id, "cancelled", "cancelled"],
    ]);
    expect(paidOnly.events.map((event) => [event.orderId, event.userId])).toEqual([[first.id, customer.userId]]);
  }, 30_000);

  it("resumes after a 5 s network drop with every missed event, in order, once each", async () => {
    const customer = await registerCustomer(server.url);
    const customerClient = clientFor(server.url, customer);
    const relay = await startRelay(server.url);
    try {
      const watcher = watchOrders(clientFor(relay.url, customer), { lastEventId: await head() });
      await watcher.started;
      const expected: string[] = [];
      for (let n = 0; n < 5; n++) {
        const order = await place(customerClient);
        expected.push(`${order.id}:pending`);
        if (n === 1) {
          await watcher.until((events) => events.length === expected.length);
          relay.cut();
        }
        for (const status of ["paid", "shipped", "delivered"] as const) {
          await staffClient.orders.updateStatus.mutate({ id: order.id, status });
          expected.push(`${order.id}:${status}`);
        }
      }
      expect(watcher.events.length).toBeLessThan(12);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      relay.restore();
      await watcher.until((events) => events.length >= 20, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      watcher.stop();
      expect(watcher.events.map((event) => `${event.orderId}:${event.toStatus}`)).toEqual(expected);
      expect(new Set(watcher.events.map((event) => event.id)).size).toBe(20);
    } finally {
      await relay.close();
    }
  }, 60_000);

  it("never shows a customer another customer's events", async () => {
    const [watched, other] = await Promise.all([registerCustomer(server.url), registerCustomer(server.url)]);
    const watcher = watchOrders(clientFor(server.url, watched), { lastEventId: "0" });
    await watcher.started;
    for (let n = 0; n < 3; n++) await place(clientFor(server.url, other));
    const own = await place(clientFor(server.url, watched));
    await watcher.until((events) => events.some((event) => event.orderId === own.id));
    watcher.stop();
    expect(watcher.events.map((event) => [event.userId, event.orderId])).toEqual([[watched.userId, own.id]]);
  }, 30_000);

  it(`refuses a stream past ${MAX_SUBSCRIPTIONS_PER_USER} per account, and counts streams and events in /metrics`, async () => {
    const customer = await registerCustomer(server.url);
    const client = clientFor(server.url, customer);
    const open = Array.from({ length: MAX_SUBSCRIPTIONS_PER_USER }, () => watchOrders(client, { lastEventId: "0" }));
    await Promise.all(open.map((watcher) => watcher.started));
    const refused = watchOrders(client);
    await refused.until(() => refused.errors.length > 0);
    expect(String(refused.errors[0])).toMatch(new RegExp(`At most ${MAX_SUBSCRIPTIONS_PER_USER} live streams`));

    await place(client);
    await Promise.all(open.map((watcher) => watcher.until((events) => events.length === 1)));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^cartwheel_open_subscriptions (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      MAX_SUBSCRIPTIONS_PER_USER,
    );
    expect(
      Number(/^cartwheel_subscription_events_total\{procedure="orders.events"\} (\d+)$/m.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(MAX_SUBSCRIPTIONS_PER_USER);
    for (const watcher of open) watcher.stop();
    refused.stop();
  }, 30_000);
});
