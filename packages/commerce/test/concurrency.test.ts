// Real concurrency: separate PostgreSQL connections with row locks, and a SQLite file
// whose single connection serialises transactions. PGlite has one connection, so it is
// covered by the functional suites instead.
import { concurrencyBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@cartwheel/contracts";
import { InsufficientStockError, InvalidTransitionError, type Order } from "../src/index.ts";
import { countRows, type Harness, ledgerSum, makeProduct, openHarness, settle, stockOf, uuid } from "./fixtures.ts";

describe.each(concurrencyBackends())("order concurrency on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("200 concurrent one-unit orders against stock 50: exactly 50 succeed", async () => {
    const product = await makeProduct(h, { stock: 50 });
    const ordersBefore = await countRows(h.database, "orders");
    const { ok, failed } = await settle(
      Array.from({ length: 200 }, () =>
        h.orders.place(h.customer.id, { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: uuid() }),
      ),
    );
    expect(ok).toHaveLength(50);
    expect(failed).toHaveLength(150);
    expect(failed.every((error) => error instanceof InsufficientStockError)).toBe(true);
    expect(await stockOf(h.database, product.id)).toBe(0);
    expect(await ledgerSum(h.database, product.id)).toBe(0);
    expect(await countRows(h.database, "orders")).toBe(ordersBefore + 50);
  });

  it("a multi-line order short on its last line (in lock order) changes nothing", async () => {
    const products = await Promise.all([5, 5, 5].map((stock) => makeProduct(h, { stock })));
    const [first, second, last] = products.toSorted((a, b) => (a.id < b.id ? -1 : 1)) as [
      (typeof products)[0],
      (typeof products)[0],
      (typeof products)[0],
    ];
    const error = await h.orders
      .place(h.customer.id, {
        items: [
          { productId: first.id, quantity: 2 },
          { productId: second.id, quantity: 2 },
          { productId: last.id, quantity: 6 },
        ],
        idempotencyKey: uuid(),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).details.shortages).toEqual([
      { productId: last.id, name: last.name, requested: 6, available: 5 },
    ]);
    for (const product of products) {
      expect(await stockOf(h.database, product.id)).toBe(5);
      expect(await ledgerSum(h.database, product.id)).toBe(5);
    }
  });

  it("20 concurrent identical requests produce one order and one decrement", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const input = { items: [{ productId: product.id, quantity: 3 }], idempotencyKey: uuid() };
    const ordersBefore = await countRows(h.database, "orders");
    const { ok, failed } = await settle(Array.from({ length: 20 }, () => h.orders.place(h.customer.id, input)));
    expect(failed).toEqual([]);
    expect(new Set(ok.map((order) => order.id)).size).toBe(1);
    expect(ok.every((order) => order.items.length === 1 && order.totalCents === ok[0]!.totalCents)).toBe(true);
    expect(await countRows(h.database, "orders")).toBe(ordersBefore + 1);
    expect(await stockOf(h.database, product.id)).toBe(7);
    expect(await ledgerSum(h.database, product.id)).toBe(7);
  });

  it("same key with different payloads at once: one order, the rest CONFLICT", async () => {
    const product = await makeProduct(h, { stock: 100 });
    const key = uuid();
    const { ok, failed } = await settle(
      Array.from({ length: 10 }, (_, i) =>
        h.orders.place(h.customer.id, { items: [{ productId: product.id, quantity: i + 1 }], idempotencyKey: key }),
      ),
    );
    expect(ok).toHaveLength(1);
    expect(failed.every((error) => error instanceof DomainError && error.reason === "idempotency_key_reused")).toBe(
      true,
    );
    expect(await stockOf(h.database, product.id)).toBe(100 - ok[0]!.items[0]!.quantity);
  });

  it("concurrent multi-line orders over overlapping products finish without deadlock", async () => {
    const products = await Promise.all(Array.from({ length: 4 }, () => makeProduct(h, { stock: 1000 })));
    const ids = products.map((p) => p.id);
    // Each order names the products in a different (shuffled) order; the service locks by id.
    const orders = Array.from({ length: 60 }, (_, i) => {
      const rotated = [...ids.slice(i % 4), ...ids.slice(0, i % 4)];
      const lines = (i % 2 ? rotated.toReversed() : rotated).slice(0, 2 + (i % 3));
      return h.orders.place(h.customer.id, {
        items: lines.map((productId, j) => ({ productId, quantity: 1 + ((i + j) % 3) })),
        idempotencyKey: uuid(),
      });
    });
    const { ok, failed } = await settle(orders);
    expect(failed).toEqual([]);
    for (const product of products) {
      const sold = ok
        .flatMap((order) => order.items)
        .filter((item) => item.productId === product.id)
        .reduce((sum, item) => sum + item.quantity, 0);
      expect(await stockOf(h.database, product.id)).toBe(1000 - sold);
      expect(await ledgerSum(h.database, product.id)).toBe(1000 - sold);
    }
  });

  it("concurrent multi-line orders over scarce overlapping stock: each all or nothing, stock matches the ledger", async () => {
    const products = await Promise.all(Array.from({ length: 3 }, () => makeProduct(h, { stock: 30 })));
    const ids = products.map((p) => p.id);
    const attempts = Array.from({ length: 80 }, (_, i) => {
      const rotated = [...ids.slice(i % 3), ...ids.slice(0, i % 3)];
      return rotated.slice(0, 1 + (i % 3)).map((productId, j) => ({ productId, quantity: 1 + ((i + j) % 3) }));
    });
    const itemsBefore = await countRows(h.database, "orderItems");
    const results = await Promise.allSettled(
      attempts.map((items) => h.orders.place(h.customer.id, { items, idempotencyKey: uuid() })),
    );
    const ok = results.flatMap((result, i) =>
      result.status === "fulfilled" ? [{ order: result.value, asked: attempts[i]! }] : [],
    );
    const failed = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    // Demand (about 80 × 4 units) is several times the 90 in stock.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((error) => error instanceof InsufficientStockError)).toBe(true);
    for (const { order, asked } of ok) {
      expect(order.items.map((item) => [item.productId, item.quantity])).toEqual(
        asked.map((line) => [line.productId, line.quantity]).toSorted((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
    }
    // A refused order leaves no items behind.
    const placedItems = ok.reduce((sum, { order }) => sum + order.items.length, 0);
    expect(await countRows(h.database, "orderItems")).toBe(itemsBefore + placedItems);
    for (const product of products) {
      const sold = ok
        .flatMap(({ order }) => order.items)
        .filter((item) => item.productId === product.id)
        .reduce((sum, item) => sum + item.quantity, 0);
      const stock = await stockOf(h.database, product.id);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock).toBe(30 - sold);
      expect(await ledgerSum(h.database, product.id)).toBe(stock);
    }
  });

  it("two staff moving the same order from the same state: exactly one wins, the other gets CONFLICT", async () => {
    const product = await makeProduct(h, { stock: 10 });
    for (const [first, second] of [
      ["paid", "cancelled"],
      ["paid", "paid"],
    ] as const) {
      const order = await h.orders.place(h.customer.id, {
        items: [{ productId: product.id, quantity: 1 }],
        idempotencyKey: uuid(),
      });
      // Both staff saw version 1 in their UI and submit it as the expected version.
      const { ok, failed } = await settle<Order>([
        h.orders.updateStatus({ id: order.id, status: first, expectedVersion: order.version }, h.staff),
        h.orders.updateStatus({ id: order.id, status: second, expectedVersion: order.version }, h.staff),
      ]);
      expect(ok).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ reason: "stale_version" });
      const detail = await h.orders.byId(order.id, h.staff);
      expect(detail).toMatchObject({ version: 2, status: ok[0]!.status });
      expect(detail.events).toHaveLength(2);
    }
    expect(await stockOf(h.database, product.id)).toBe(await ledgerSum(h.database, product.id));
  });

  it("racing identical status changes without an expected version: exactly one applies", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: uuid(),
    });
    const { ok, failed } = await settle(
      Array.from({ length: 5 }, () => h.orders.updateStatus({ id: order.id, status: "paid" }, h.staff)),
    );
    expect(ok).toHaveLength(1);
    // Racing on PostgreSQL loses the version check (CONFLICT); serialised, the later ones find it already paid.
    expect(
      failed.every(
        (e) => (e instanceof DomainError && e.reason === "stale_version") || e instanceof InvalidTransitionError,
      ),
    ).toBe(true);
    expect((await h.orders.byId(order.id, h.staff)).events).toHaveLength(2);
  });

  it("racing cancellations restock once", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 4 }],
      idempotencyKey: uuid(),
    });
    const { ok, failed } = await settle([
      h.orders.cancel(order.id, h.customer),
      h.orders.cancel(order.id, h.staff),
      h.orders.cancel(order.id, h.staff),
    ]);
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(2);
    expect(await stockOf(h.database, product.id)).toBe(10);
    expect(await ledgerSum(h.database, product.id)).toBe(10);
  });
});
