// Signed webhooks end to end, on SQLite and on PostgreSQL: the built server (worker inline),
// an admin creating endpoints through @cartwheel/client, a customer placing orders, and a
// node:http receiver verifying every delivery with the `standardwebhooks` package. Also the
// retry of a 500 with the same webhook-id, the attempt log, and event-to-delivery latency.
import { mkdtempSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CartwheelClient } from "@cartwheel/client";
import { createDatabase, type Database } from "@cartwheel/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, registerCustomer, registerStaff } from "./support/live-orders.ts";
import { type ServerProcess, startServerProcess, untilReady } from "./support/server-process.ts";
import { postgresForTest, type TestPostgres } from "./support/services.ts";
import { startWebhookReceiver, type WebhookReceiver } from "@cartwheel/webhooks/testing";

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));
const LATENCY_SAMPLES = 20;
const orderIdOf = (got: { data: Record<string, unknown> }) => got.data.orderId;

describe.each(["sqlite", "postgres"] as const)("webhooks end to end on %s", (dialect) => {
  let dir = "";
  let postgres: TestPostgres | undefined;
  let database: Database;
  let server: ServerProcess;
  let receiver: WebhookReceiver;
  let admin: CartwheelClient;
  let customer: CartwheelClient;
  let productId: string;

  beforeAll(async () => {
    let url: string;
    if (dialect === "postgres") {
      postgres = await postgresForTest();
      url = postgres.url;
    } else {
      dir = mkdtempSync(join(tmpdir(), "cartwheel-webhooks-"));
      url = `file:${join(dir, "cartwheel.db")}`;
    }
    database = await createDatabase(url, { migrate: true });
    const [product] = await database.db
      .insert(database.schema.products)
      .values({ slug: `hook-${randomUUID()}`, name: "Hooked widget", description: "", priceCents: 900, stock: 10_000 })
      .returning({ id: database.schema.products.id });
    productId = product!.id;
    receiver = await startWebhookReceiver();
    server = await startServerProcess(bundle, {
      DATABASE_URL: url,
      AUTH_SECRET: "webhooks-e2e-test-secret".padEnd(48, "x"),
      // The receiver is on loopback, which only this lets through.
      WEBHOOK_ALLOW_PRIVATE: "1",
      RATE_LIMIT_USER_PER_MIN: "100000",
      RATE_LIMIT_IP_PER_MIN: "100000",
    });
    await untilReady(server);
    admin = clientFor(server.url, await registerStaff(server.url, database, {}, "admin"));
    customer = clientFor(server.url, await registerCustomer(server.url));
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    await database?.close();
    await postgres?.release();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const place = () =>
    customer.orders.place.mutate({ items: [{ productId, quantity: 1 }], idempotencyKey: randomUUID() });

  it("delivers a verified order.created, then order.status_changed, to the subscribed endpoint", async () => {
    const endpoint = await admin.webhooks.create.mutate({
      url: receiver.url("/orders"),
      description: "order feed",
      eventTypes: ["order.status_changed", "order.created"],
    });
    receiver.verifyWith("/orders", endpoint.secret);
    expect(await admin.webhooks.list.query()).toContainEqual(expect.objectContaining({ id: endpoint.id }));

    const order = await place();
    const created = await receiver.until((got) => got.type === "order.created" && orderIdOf(got) === order.id);
    expect(created.data).toMatchObject({ orderId: order.id });
    await admin.orders.updateStatus.mutate({ id: order.id, status: "paid" });
    const changed = await receiver.until((got) => got.type === "order.status_changed" && orderIdOf(got) === order.id);
    expect(changed.data).toMatchObject({ fromStatus: "pending", toStatus: "paid" });
    expect(changed.webhookId).not.toBe(created.webhookId);
    expect(receiver.unverified).toBe(0);
    await admin.webhooks.update.mutate({ id: endpoint.id, enabled: false });
  });

  it("retries a 500 with the same webhook-id and logs both attempts with their status codes", async () => {
    receiver.answer("/flaky", 500, 200);
    const endpoint = await admin.webhooks.create.mutate({ url: receiver.url("/flaky"), eventTypes: ["order.created"] });
    receiver.verifyWith("/flaky", endpoint.secret);
    const order = await place();
    const mine = (got: { path: string; data: Record<string, unknown> }) =>
      got.path === "/flaky" && orderIdOf(got) === order.id;
    // The first retry comes 5 s after the failure (nextAttemptDelay(1)).
    await receiver.until((got) => mine(got) && got.status === 200, 30_000);
    const attempts = receiver.received.filter(mine);
    expect(attempts.map((got) => got.status)).toEqual([500, 200]);
    expect(new Set(attempts.map((got) => got.webhookId)).size).toBe(1);

    // The worker logs an attempt once the receiver has answered, so the log may trail the receipt.
    const logged = async () => {
      for (let tries = 0; tries < 100; tries += 1) {
        const [found] = await admin.webhooks.deliveries.query({ endpointId: endpoint.id });
        if (found?.outcome === "delivered") return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the delivery was not logged as delivered within 5 s");
    };
    const delivery = await logged();
    expect(delivery).toMatchObject({
      outcome: "delivered",
      attempts: 2,
      lastStatusCode: 200,
      eventId: attempts[0]!.webhookId,
    });
    expect(delivery.attemptLog.map((a) => [a.attempt, a.statusCode, a.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);

    // A redelivery makes one more attempt, with the same webhook-id.
    await admin.webhooks.redeliver.mutate({ deliveryId: delivery.id });
    await receiver.until((got) => mine(got) && receiver.received.filter(mine).length === 3, 30_000);
    expect(new Set(receiver.received.filter(mine).map((got) => got.webhookId)).size).toBe(1);
    await admin.webhooks.update.mutate({ id: endpoint.id, enabled: false });
  }, 60_000);

  it("measures order placed → verified delivery on an idle queue", async () => {
    const endpoint = await admin.webhooks.create.mutate({
      url: receiver.url("/latency"),
      eventTypes: ["order.created"],
    });
    receiver.verifyWith("/latency", endpoint.secret);
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const started = performance.now();
      const order = await place();
      const got = await receiver.until((hook) => hook.path === "/latency" && orderIdOf(hook) === order.id);
      samples.push(got.at - started);
    }
    samples.sort((a, b) => a - b);
    const pick = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
    console.log(
      `webhook latency on ${dialect} (order placed → verified receipt), n=${LATENCY_SAMPLES}: ` +
        `p50 ${pick(0.5).toFixed(0)} ms, p99 ${pick(0.99).toFixed(0)} ms`,
    );
    // The job engines poll (relay and queue); well under this on an idle machine.
    expect(pick(0.5)).toBeLessThan(5_000);
  }, 120_000);
});
