// Order and stock events reach the outbox with the change that causes them, on every backend
// (PostgreSQL's one-statement placement writes them in SQL, SQLite's transaction in code), and
// a failed change leaves none.
import { createEventRecorder } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, makeProduct, openHarness, uuid } from "./fixtures.ts";

const THRESHOLD = 5;
const TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe.each(testBackends({ sqlite: "file" }))("order events on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend, (database) => ({
      events: createEventRecorder(database, { traceContext: () => TRACE }),
      lowStockThreshold: THRESHOLD,
    }));
  });
  afterEach(() => h.close());

  const outbox = async () => {
    const { db, schema } = h.database;
    const rows = await db.select().from(schema.outboxEvents).orderBy(asc(schema.outboxEvents.occurredAt));
    return rows.map(({ type, payload, traceContext }) => ({ type, payload, traceContext }));
  };
  const clear = () => h.database.db.delete(h.database.schema.outboxEvents);
  const place = (productId: string, quantity: number) =>
    h.orders.place(h.customer.id, { items: [{ productId, quantity }], idempotencyKey: uuid() });

  it("records order.created with the order, and stock_low once when stock crosses the threshold", async () => {
    const product = await makeProduct(h, { stock: 7 });
    await clear();
    const first = await place(product.id, 1); // 7 → 6: above the threshold
    expect(await outbox()).toEqual([
      { type: "order.created", payload: { orderId: first.id, userId: h.customer.id }, traceContext: TRACE },
    ]);
    await clear();
    h.clock.advance(1000);
    const crossing = await place(product.id, 2); // 6 → 4: crosses
    expect(await outbox()).toEqual(
      expect.arrayContaining([
        { type: "order.created", payload: { orderId: crossing.id, userId: h.customer.id }, traceContext: TRACE },
        {
          type: "product.stock_low",
          payload: { productId: product.id, stock: 4, threshold: THRESHOLD },
          traceContext: TRACE,
        },
      ]),
    );
    expect(await outbox()).toHaveLength(2);
    await clear();
    await place(product.id, 1); // 4 → 3: already low, no news
    expect((await outbox()).map((event) => event.type)).toEqual(["order.created"]);
  });

  it("records nothing for a placement that fails", async () => {
    const product = await makeProduct(h, { stock: 1 });
    await clear();
    await expect(place(product.id, 2)).rejects.toMatchObject({ reason: "insufficient_stock" });
    expect(await outbox()).toEqual([]);
  });

  it("records each status change with its actor, and a restock re-arms the low-stock crossing", async () => {
    const product = await makeProduct(h, { stock: 6 });
    const order = await place(product.id, 2); // 6 → 4
    await clear();
    await h.orders.updateStatus({ id: order.id, status: "paid" }, h.staff);
    await h.orders.cancel(order.id, h.staff); // restocks 4 → 6: no event for going up
    expect(await outbox()).toEqual([
      {
        type: "order.status_changed",
        payload: {
          orderId: order.id,
          userId: h.customer.id,
          fromStatus: "pending",
          toStatus: "paid",
          actorId: h.staff.id,
        },
        traceContext: TRACE,
      },
      {
        type: "order.status_changed",
        payload: {
          orderId: order.id,
          userId: h.customer.id,
          fromStatus: "paid",
          toStatus: "cancelled",
          actorId: h.staff.id,
        },
        traceContext: TRACE,
      },
    ]);
    await clear();
    await h.catalog.adjustStock({ productId: product.id, delta: -3, reason: "adjustment" }, h.staff.id); // 6 → 3
    expect(await outbox()).toEqual([
      {
        type: "product.stock_low",
        payload: { productId: product.id, stock: 3, threshold: THRESHOLD },
        traceContext: TRACE,
      },
    ]);
  });
});

describe("order events off", () => {
  it("records nothing when the shop has no outbox", async () => {
    const h = await openHarness("sqlite-memory");
    try {
      const product = await makeProduct(h, { stock: 6 });
      await h.orders.place(h.customer.id, { items: [{ productId: product.id, quantity: 3 }], idempotencyKey: uuid() });
      expect(await h.database.db.select().from(h.database.schema.outboxEvents)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
