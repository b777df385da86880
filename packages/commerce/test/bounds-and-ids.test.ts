// The bounds the inputs promise hold on every write path (cancel's restock included) and in
// the database itself; forged cursors and ids written in another case get one answer on
// every dialect, and mixed-case ids cannot reorder row locks into a deadlock.
import { isCheckViolation, MAX_PRICE_CENTS } from "@cartwheel/db";
import { concurrencyBackends, testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError, MAX_STOCK } from "@cartwheel/contracts";
import { StockLimitError } from "../src/index.ts";
import { type Harness, ledgerSum, makeProduct, openHarness, settle, stockOf, uuid } from "./fixtures.ts";

const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64url");

describe.each(testBackends())("bounds and ids on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("a cancel that would restock past the cap is refused whole (CONFLICT stock_limit), and staff can still adjust", async () => {
    const product = await makeProduct(h, { stock: 10 });
    const order = await h.orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 5 }],
      idempotencyKey: uuid(),
    });
    await h.catalog.adjustStock({ productId: product.id, delta: MAX_STOCK - 5, reason: "restock" }, h.staff.id);
    expect(await stockOf(h.database, product.id)).toBe(MAX_STOCK);

    const refused = await h.orders.cancel(order.id, h.customer).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StockLimitError);
    expect(refused).toMatchObject({ reason: "stock_limit", details: { productId: product.id } });
    expect((await h.orders.byId(order.id, h.customer)).status).toBe("pending");
    expect(await stockOf(h.database, product.id)).toBe(MAX_STOCK);
    expect(await ledgerSum(h.database, product.id)).toBe(MAX_STOCK);

    await h.catalog.adjustStock({ productId: product.id, delta: -5, reason: "adjustment" }, h.staff.id);
    expect((await h.orders.cancel(order.id, h.customer)).status).toBe("cancelled");
    expect(await stockOf(h.database, product.id)).toBe(MAX_STOCK);
    expect(await ledgerSum(h.database, product.id)).toBe(MAX_STOCK);
  });

  it("the database itself refuses stock and prices past their bounds", async () => {
    const product = await makeProduct(h, { stock: 1 });
    const p = h.database.schema.products;
    for (const values of [
      { stock: MAX_STOCK + 1 },
      { stock: -1 },
      { priceCents: MAX_PRICE_CENTS + 1 },
      { priceCents: -1 },
    ]) {
      const error = await h.database.db
        .update(p)
        .set(values)
        .where(eq(p.id, product.id))
        .then(
          () => null,
          (caught: unknown) => caught,
        );
      expect({ values, check: isCheckViolation(error) }).toEqual({ values, check: true });
    }
    expect(await stockOf(h.database, product.id)).toBe(1);
  });

  it("forged cursors are refused as invalid_cursor before any query", async () => {
    const product = await makeProduct(h);
    const forged = [
      "!!!!",
      "eyJ9",
      Buffer.from("not json").toString("base64url"),
      encode([1, 2]),
      encode({ k: "products:newest", v: "yesterday", id: product.id }),
      encode({ k: "products:newest", v: 1e20, id: product.id }),
      encode({ k: "products:newest", v: -62135596800001, id: product.id }),
      encode({ k: "products:newest", v: Date.now(), id: "not-a-uuid" }),
      encode({ k: "products:newest", v: Date.now(), id: 7 }),
      encode({ k: "products:newest", v: Date.now() }),
      encode({ k: "orders:newest", v: Date.now(), id: product.id }),
    ];
    for (const cursor of forged) {
      const error = await h.catalog.list({ cursor }, null).catch((caught: unknown) => caught);
      expect({ cursor, error }).toMatchObject({ cursor, error: { reason: "invalid_cursor" } });
      expect(error).toBeInstanceOf(DomainError);
    }
    const bySort = [
      ["price_asc", { k: "products:price_asc", v: 2 ** 31, id: product.id }],
      ["price_desc", { k: "products:price_desc", v: 1.5, id: product.id }],
      ["name", { k: "products:name", v: "a\u0000b", id: product.id }],
      ["name", { k: "products:name", v: 12, id: product.id }],
    ] as const;
    for (const [sort, payload] of bySort) {
      const error = await h.catalog.list({ sort, cursor: encode(payload) }, null).catch((caught: unknown) => caught);
      expect({ payload, error }).toMatchObject({ payload, error: { reason: "invalid_cursor" } });
    }
    const mine = await h.orders
      .mine(h.customer.id, { cursor: encode({ k: "orders:newest", v: "x", id: uuid() }) })
      .catch((caught: unknown) => caught);
    expect(mine).toMatchObject({ reason: "invalid_cursor" });
    // A cursor the service issued still works, with its id in either case.
    await makeProduct(h);
    const first = await h.catalog.list({ limit: 1 }, null);
    const decoded = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString()) as { id: string };
    const recased = encode({ ...decoded, id: decoded.id.toUpperCase() });
    expect((await h.catalog.list({ limit: 1, cursor: recased }, null)).items).toEqual(
      (await h.catalog.list({ limit: 1, cursor: first.nextCursor! }, null)).items,
    );
  });

  it("ids in upper or mixed case name the same rows as lowercase ones", async () => {
    const product = await makeProduct(h, { stock: 5, priceCents: 700 });
    const order = await h.orders.place(h.customer.id, {
      items: [
        { productId: product.id.toUpperCase(), quantity: 1 },
        { productId: product.id, quantity: 2 },
      ],
      idempotencyKey: uuid().toUpperCase(),
    });
    // The two spellings are one product: one merged line.
    expect(order.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 3 })]);
    const updated = await h.catalog.update({ id: product.id.toUpperCase(), name: "Renamed" });
    expect(updated.id).toBe(product.id);
    const adjusted = await h.catalog.adjustStock(
      { productId: product.id.toUpperCase(), delta: 1, reason: "restock" },
      h.staff.id,
    );
    expect(adjusted.stock).toBe(3);
    const cancelled = await h.orders.updateStatus({ id: order.id.toUpperCase(), status: "cancelled" }, h.staff);
    expect(cancelled.status).toBe("cancelled");
  });
});

describe.each(concurrencyBackends())("mixed-case ids under concurrency on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("orders naming the same products in other cases lock rows in one order: no deadlock", async () => {
    const products = await Promise.all(Array.from({ length: 6 }, () => makeProduct(h, { stock: 10_000 })));
    const ids = products.map((p) => p.id).toSorted();
    // Pairs whose raw spelling sorts the other way round once one id is uppercased: locking by
    // the raw strings would take these two rows in opposite orders in the two kinds of order.
    const pairs: [string, string][] = [];
    for (const [i, low] of ids.entries()) {
      for (const high of ids.slice(i + 1)) if (high.toUpperCase() < low) pairs.push([low, high]);
    }
    expect(pairs.length).toBeGreaterThan(0);
    const orders = Array.from({ length: 40 }, (_, i) => {
      const [low, high] = pairs[i % pairs.length]!;
      const items =
        i % 2 === 0
          ? [
              { productId: low, quantity: 1 },
              { productId: high, quantity: 1 },
            ]
          : [
              { productId: high.toUpperCase(), quantity: 2 },
              { productId: low, quantity: 2 },
            ];
      return h.orders.place(h.customer.id, { items, idempotencyKey: uuid() });
    });
    const { ok, failed } = await settle(orders);
    expect(failed).toEqual([]);
    expect(ok).toHaveLength(40);
    for (const id of ids) {
      const sold = ok
        .flatMap((order) => order.items)
        .filter((item) => item.productId === id)
        .reduce((sum, item) => sum + item.quantity, 0);
      expect(await stockOf(h.database, id)).toBe(10_000 - sold);
      expect(await ledgerSum(h.database, id)).toBe(10_000 - sold);
    }
  });
});
