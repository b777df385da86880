// The webhook service without HTTP in front of it, on every test backend: endpoints (the URL
// policy, the sealed secret shown once, rotation), fan-out to enabled subscribers only, the
// attempt log and its retry schedule, dead letters, and redelivery through the outbox.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DomainError, MAX_WEBHOOK_ENDPOINTS, WEBHOOK_MAX_ATTEMPTS, type RecordedEvent } from "@cartwheel/contracts";
import { createEventRecorder } from "@cartwheel/db";
import { openTestDatabase, testBackends, type TestDatabase } from "@cartwheel/db/testing";
import { eq, inArray } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWebhookService, deriveWebhookSecretKey, openSecret, type WebhookService } from "../src/index.ts";

const secretKey = deriveWebhookSecretKey("webhook-service-test-secret".padEnd(40, "x"));
const now = () => new Date();

/** A receiver that answers with the next of `statuses` (the last one repeats) and keeps what came. */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(statuses.length > 1 ? statuses.shift()! : (statuses[0] ?? 204)).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, statuses, server };
}

const orderCreated = (): RecordedEvent => ({
  id: randomUUID(),
  occurredAt: new Date(),
  type: "order.created",
  payload: { orderId: randomUUID(), userId: randomUUID() },
});

describe("webhook URL policy (no database writes before it)", () => {
  let database: TestDatabase;
  beforeAll(async () => (database = await openTestDatabase("sqlite-memory")));
  afterAll(() => database.close());

  it.each([
    ["http://127.0.0.1/hook", "must use https"],
    ["https://127.0.0.1/hook", "private or reserved"],
    ["https://10.1.2.3/hook", "private or reserved"],
    ["https://169.254.169.254/latest", "private or reserved"],
    ["https://[::1]/hook", "private or reserved"],
    ["https://[::ffff:192.168.0.1]/hook", "private or reserved"],
  ])("refuses %s without WEBHOOK_ALLOW_PRIVATE", async (url, why) => {
    const service = createWebhookService({ database, now, secretKey, allowPrivate: false });
    const refused = await service.create({ url, description: "", eventTypes: ["order.created"] }).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).reason).toBe("webhook_url_refused");
    expect((refused as DomainError).message).toContain(why);
    expect(await service.list()).toEqual([]);
  });
});

describe.each(testBackends())("webhook service on %s", (backend) => {
  let database: TestDatabase;
  let service: WebhookService;
  let hook: Awaited<ReturnType<typeof receiver>>;

  // One database per backend (PGlite takes seconds to open); each test starts with no endpoints.
  beforeAll(async () => {
    database = await openTestDatabase(backend);
  }, 60_000);
  afterAll(() => database?.close());
  beforeEach(async () => {
    await database.db.delete(database.schema.webhookEndpoints);
    await database.db.delete(database.schema.outboxEvents);
    service = createWebhookService({
      database,
      now,
      secretKey,
      allowPrivate: true,
      events: createEventRecorder(database, { now }),
    });
    hook = await receiver();
  });
  afterEach(async () => {
    hook.server.closeAllConnections();
    hook.server.close();
  });

  it("shows the secret once, stores it sealed to the endpoint, and rotates it", async () => {
    const created = await service.create({ url: hook.url, description: "orders", eventTypes: ["order.created"] });
    expect(created.secret).toMatch(/^whsec_/);
    expect(await service.list()).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    const e = database.schema.webhookEndpoints;
    const [row] = await database.db.select().from(e).where(eq(e.id, created.id));
    expect(row!.secretCiphertext).not.toContain(created.secret.slice(6));
    expect(openSecret(secretKey, created.id, row!.secretCiphertext)).toBe(created.secret);
    expect(() => openSecret(secretKey, randomUUID(), row!.secretCiphertext)).toThrow(/authenticate/);

    const rotated = await service.rotateSecret(created.id);
    expect(rotated.secret).not.toBe(created.secret);
    await service.fanOut(orderCreated(), [created.id]).then(([id]) => service.attempt(id!, 1));
    expect(() => new Webhook(rotated.secret).verify(hook.got[0]!.body, hook.got[0]!.headers as never)).not.toThrow();
    expect(() => new Webhook(created.secret).verify(hook.got[0]!.body, hook.got[0]!.headers as never)).toThrow(
      /signature/,
    );
  });

  it("fans out to enabled subscribers only, once per event however often it runs", async () => {
    const a = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    const b = await service.create({ url: hook.url, eventTypes: ["order.status_changed"], description: "" });
    const c = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    await service.update({ id: c.id, enabled: false });
    const subscribers = await service.subscribers("order.created");
    expect(subscribers).toEqual([a.id]);
    const event = orderCreated();
    const first = await service.fanOut(event, subscribers);
    expect(await service.fanOut(event, subscribers)).toEqual(first);
    expect(first).toHaveLength(1);
    await service.attempt(first[0]!, 1);
    expect(await service.fanOut(event, subscribers)).toEqual([]);
    expect(b.id).toBeTruthy();
  });

  it("logs every attempt, retries on nextAttemptDelay with the same webhook-id, and dead-letters", async () => {
    hook.statuses.push(500, 200);
    const endpoint = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    const event = orderCreated();
    const [deliveryId] = await service.fanOut(event, [endpoint.id]);
    expect(await service.attempt(deliveryId!, 1)).toMatchObject({ next: "retry", attempt: 2, delayMs: 5_000 });
    expect(await service.attempt(deliveryId!, 1)).toEqual({ next: "done", outcome: "pending" });
    expect(await service.attempt(deliveryId!, 2)).toMatchObject({ next: "done", outcome: "delivered" });
    expect(hook.got.map((got) => got.headers["webhook-id"])).toEqual([event.id, event.id]);
    const [delivery] = await service.listDeliveries({ endpointId: endpoint.id, limit: 10 });
    expect(delivery).toMatchObject({
      outcome: "delivered",
      attempts: 2,
      lastStatusCode: 200,
      eventType: "order.created",
    });
    expect(delivery!.attemptLog.map((a) => [a.attempt, a.statusCode, a.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
    expect(delivery!.attemptLog.every((a) => a.latencyMs >= 0)).toBe(true);

    hook.statuses.splice(0, hook.statuses.length, 503);
    const [dying] = await service.fanOut(orderCreated(), [endpoint.id]);
    const d = database.schema.webhookDeliveries;
    await database.db
      .update(d)
      .set({ attempts: WEBHOOK_MAX_ATTEMPTS - 1 })
      .where(eq(d.id, dying!));
    expect(await service.attempt(dying!, WEBHOOK_MAX_ATTEMPTS)).toMatchObject({ next: "done", outcome: "dead" });
  });

  it("redelivers through the outbox, and the redelivered attempt is not retried by itself", async () => {
    hook.statuses.push(500);
    const endpoint = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    const [deliveryId] = await service.fanOut(orderCreated(), [endpoint.id]);
    await service.attempt(deliveryId!, 1);
    expect(await service.redeliver(deliveryId!)).toEqual({ id: deliveryId, outcome: "pending" });
    const o = database.schema.outboxEvents;
    const recorded = await database.db.select().from(o).where(eq(o.type, "webhook.redelivery_requested"));
    expect(recorded.map((row) => row.payload)).toEqual([{ deliveryId }]);
    expect(await service.redeliverNow(deliveryId!)).toMatchObject({ next: "done", outcome: "dead" });
    await expect(service.redeliver(randomUUID())).rejects.toMatchObject({ reason: "not_found" });
  });

  it("purges settled deliveries older than the cutoff, with their attempts, and keeps pending ones", async () => {
    hook.statuses.push(500);
    const endpoint = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    const [settled, pending, recent] = await Promise.all(
      [1, 2, 3].map(async () => (await service.fanOut(orderCreated(), [endpoint.id]))[0]!),
    );
    await service.attempt(settled!, 1);
    await service.redeliver(settled!);
    await service.redeliverNow(settled!); // dead: a failed manual attempt is not retried
    await service.attempt(recent!, 1);
    await service.redeliver(recent!);
    await service.redeliverNow(recent!);
    const d = database.schema.webhookDeliveries;
    const old = new Date(Date.now() - 40 * 86_400_000);
    await database.db
      .update(d)
      .set({ updatedAt: old })
      .where(inArray(d.id, [settled!, pending!]));
    expect(await service.purgeDeliveries(new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const left = await database.db.select({ id: d.id }).from(d);
    expect(left.map((row) => row.id).toSorted()).toEqual([pending!, recent!].toSorted());
    const a = database.schema.webhookAttempts;
    expect(await database.db.select().from(a).where(eq(a.deliveryId, settled!))).toEqual([]);
  });

  it("stops retries of a disabled endpoint and bounds the number of endpoints", async () => {
    const endpoint = await service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    const [deliveryId] = await service.fanOut(orderCreated(), [endpoint.id]);
    await service.update({ id: endpoint.id, enabled: false });
    expect(await service.attempt(deliveryId!, 1)).toEqual({ next: "done", outcome: "dead" });
    expect(hook.got).toHaveLength(0);
    await expect(service.update({ id: randomUUID(), enabled: true })).rejects.toMatchObject({ reason: "not_found" });

    const e = database.schema.webhookEndpoints;
    const rows = Array.from({ length: MAX_WEBHOOK_ENDPOINTS - 1 }, () => ({
      url: hook.url,
      eventTypes: ["order.created"],
      secretCiphertext: "v1.x.x.x",
    }));
    await database.db.insert(e).values(rows);
    const refused = service.create({ url: hook.url, eventTypes: ["order.created"], description: "" });
    await expect(refused).rejects.toMatchObject({ reason: "webhook_endpoint_limit" });
  });
});
