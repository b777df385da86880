import { listOrdersSchema } from "@cartwheel/contracts";
import { testBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CurrencyMismatchError, InsufficientStockError, InvalidTransitionError, NotFoundError } from "../src/index.ts";
import { countRows, createUser, type Harness, ledgerSum, makeProduct, openHarness, stockOf, uuid } from "./fixtures.ts";

describe.each(testBackends({ sqlite: "file" }))("order service on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("places an order: merged lines, database prices, integer total, ledger and creation event", async () => {
    const a = await makeProduct(h, { priceCents: 1999, stock: 10 });
    const b = await makeProduct(h, { priceCents: 250, stock: 3 });
    const order = await h.orders.place(h.customer.id, {
      items: [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 3 },
        { productId: a.id, quantity: 1 },
      ],
      idempotencyKey: uuid(),
    });
    expect(order).toMatchObject({ status: "pending", totalCents: 3 * 1999 + 3 * 250, currency: "USD", version: 1 });
    expect(order.userId).toBe(h.customer.id);
    expect(order.items.map((i) => [i.productId, i.quantity, i.unitPriceCents])).toEqual(
      [
        [a.id, 3, 1999],
        [b.id, 3, 250],
      ].toSorted((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    expect(order.totalCents).toBe(order.items.reduce((sum, item) => sum + item.lineTotalCents, 0));
    expect(await stockOf(h.database, a.id)).toBe(7);
    expect(await stockOf(h.database, b.id)).toBe(0);
    expect(await ledgerSum(h.database, a.id)).toBe(7);
    expect(await ledgerSum(h.database, b.id)).toBe(0);
    const detail = await h.orders.byId(order.id, h.customer);
    expect(detail.events).toEqual([
      { fromStatus: null, toStatus: "pending", actorId: h.customer.id, actor: null, createdAt: h.clock.now() },
    ]);
  });

  it("names every short line with what is available, and changes nothing", async () => {
    const a = await makeProduct(h, { stock: 5 });
    const b = await makeProduct(h, { stock: 1 });
    const c = await makeProduct(h, { stock: 0 });
    const before = await countRows(h.database, "orders");
    const error = await h.orders
      .place(h.customer.id, {
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 2 },
          { productId: c.id, quantity: 1 },
        ],
        idempotencyKey: uuid(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    const shortages = (error as InsufficientStockError).details.shortages.toSorted((x, y) => x.available - y.available);
    expect(shortages).toEqual([
      { productId: c.id, name: c.name, requested: 1, available: 0 },
      { productId: b.id, name: b.name, requested: 2, available: 1 },
    ]);
    expect([await stockOf(h.database, a.id), await stockOf(h.database, b.id)]).toEqual([5, 1]);
    expect(await countRows(h.database, "orders")).toBe(before);
  });

  it("rejects mixed currencies, unknown and archived products", async () => {
    const usd = await makeProduct(h, { currency: "USD" });
    const eur = await makeProduct(h, { currency: "EUR" });
    const archived = await makeProduct(h);
    await h.catalog.archive(archived.id);
    const place = (productId: string, other = usd.id) =>
      h.orders.place(h.customer.id, {
        items: [
          { productId: other, quantity: 1 },
          { productId, quantity: 1 },
        ],
        idempotencyKey: uuid(),
      });
    await expect(place(eur.id)).rejects.toBeInstanceOf(CurrencyMismatchError);
    await expect(place(uuid())).rejects.toBeInstanceOf(NotFoundError);
    await expect(place(archived.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await stockOf(h.database, usd.id)).toBe(10);
  });

  it("replays the original order for a repeated key and refuses a different payload", async () => {
    const product = await makeProduct(h, { stock: 5 });
    const key = uuid();
    const input = { items: [{ productId: product.id, quantity: 2 }], idempotencyKey: key };
    const first = await h.orders.place(h.customer.id, input);
    const again = await h.orders.place(h.customer.id, input);
    expect(again).toEqual(first);
    expect(await stockOf(h.database, product.id)).toBe(3);
    await expect(
      h.orders.place(h.customer.id, { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: key }),
    ).rejects.toMatchObject({ reason: "idempotency_key_reused" });
    // Keys are per user: someone else's identical key is a new order.
    const other = await h.orders.place(h.otherCustomer.id, input);
    expect(other.id).not.toBe(first.id);
  });

  it("shows orders to their owner and staff only", async () => {
    const product = await makeProduct(h);
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: uuid(),
    });
    expect((await h.orders.byId(order.id, h.staff)).id).toBe(order.id);
    await expect(h.orders.byId(order.id, h.otherCustomer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(h.orders.cancel(order.id, h.otherCustomer)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lists the caller's orders newest first with a cursor and status filter", async () => {
    const buyer = await createUser(h.database, h.keys, "customer", "lister");
    const product = await makeProduct(h, { stock: 100 });
    const placed = [];
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) h.clock.advance(1000);
      placed.push(
        await h.orders.place(buyer.id, { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: uuid() }),
      );
    }
    await h.orders.cancel(placed[0]!.id, buyer);
    const first = await h.orders.mine(buyer.id, { limit: 2 });
    const second = await h.orders.mine(buyer.id, { limit: 2, cursor: first.nextCursor! });
    const third = await h.orders.mine(buyer.id, { limit: 2, cursor: second.nextCursor! });
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((o) => o.id);
    expect(ids).toEqual(placed.map((o) => o.id).toReversed());
    expect((await h.orders.mine(buyer.id, { status: "cancelled" })).items.map((o) => o.id)).toEqual([placed[0]!.id]);
    expect((await h.orders.mine(h.otherCustomer.id, {})).items.every((o) => o.userId === h.otherCustomer.id)).toBe(
      true,
    );
    const staffView = await h.orders.list(listOrdersSchema.parse({ userId: buyer.id, status: "pending", limit: 100 }));
    expect(staffView.items).toHaveLength(4);
    for (const order of staffView.items) expect(order.allowedTransitions).toEqual(["paid", "cancelled"]);
  });

  it("lets the owner cancel only while pending, restocking through the ledger", async () => {
    const product = await makeProduct(h, { stock: 4 });
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 3 }],
      idempotencyKey: uuid(),
    });
    const cancelled = await h.orders.cancel(order.id, h.customer);
    expect(cancelled).toMatchObject({ status: "cancelled", version: 2 });
    expect(await stockOf(h.database, product.id)).toBe(4);
    expect(await ledgerSum(h.database, product.id)).toBe(4);
    await expect(h.orders.cancel(order.id, h.customer)).rejects.toBeInstanceOf(InvalidTransitionError);

    const paid = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: uuid(),
    });
    await h.orders.updateStatus({ id: paid.id, status: "paid" }, h.staff);
    const refused = await h.orders.cancel(paid.id, h.customer).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidTransitionError);
    expect((refused as InvalidTransitionError).details.allowed).toEqual([]);
    expect((await h.orders.cancel(paid.id, h.staff)).status).toBe("cancelled");
    expect(await stockOf(h.database, product.id)).toBe(4);
    expect(await ledgerSum(h.database, product.id)).toBe(4);
  });

  it("follows the state machine, records every change and checks the expected version", async () => {
    const product = await makeProduct(h);
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: uuid(),
    });
    const invalid = await h.orders.updateStatus({ id: order.id, status: "shipped" }, h.staff).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidTransitionError);
    expect((invalid as InvalidTransitionError).details.allowed).toEqual(["paid", "cancelled"]);
    await expect(
      h.orders.updateStatus({ id: order.id, status: "paid", expectedVersion: 7 }, h.staff),
    ).rejects.toMatchObject({ reason: "stale_version" });
    h.clock.advance(1000);
    await h.orders.updateStatus({ id: order.id, status: "paid", expectedVersion: 1 }, h.staff);
    await h.orders.updateStatus({ id: order.id, status: "shipped" }, h.staff);
    const delivered = await h.orders.updateStatus({ id: order.id, status: "delivered", expectedVersion: 3 }, h.staff);
    expect(delivered).toMatchObject({ status: "delivered", version: 4 });
    expect(delivered.updatedAt).toEqual(h.clock.now());
    for (const status of ["cancelled", "paid", "pending"] as const) {
      await expect(h.orders.updateStatus({ id: order.id, status }, h.staff)).rejects.toBeInstanceOf(
        InvalidTransitionError,
      );
    }
    const detail = await h.orders.byId(order.id, h.customer);
    expect(detail.events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, "pending"],
      ["pending", "paid"],
      ["paid", "shipped"],
      ["shipped", "delivered"],
    ]);
    // The customer sees that staff moved it on, not which member of staff.
    expect(detail.events.map((e) => e.actorId)).toEqual([h.customer.id, null, null, null]);
    expect((await h.orders.byId(order.id, h.staff)).events.at(-1)?.actorId).toBe(h.staff.id);
    await expect(h.orders.updateStatus({ id: uuid(), status: "paid" }, h.staff)).rejects.toBeInstanceOf(NotFoundError);
  });
});
