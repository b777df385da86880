// The one-statement order placement of PostgreSQL (postgres-placement.ts): what it writes, that
// it writes nothing unless every line can be met, and, on a real server, how it behaves under
// READ COMMITTED when another transaction holds the product row.
import { randomUUID } from "node:crypto";
import { count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlacementRequest, placementSql } from "../src/postgres-placement.ts";
import { isUniqueViolation } from "../src/queries.ts";
import { MAX_PRICE_CENTS } from "../src/schema/index.ts";
import { openTestDatabase, type TestDatabase, testBackends } from "../src/testing/index.ts";

const postgresBackends = testBackends().filter((backend) => backend === "pglite" || backend === "postgres");

/** Orders rows (arrays starting with an id) by that id. */
const byId = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1);

function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

describe.each(postgresBackends)("one-statement order placement on %s", (backend) => {
  let database: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const { users } = database.schema;
    const [user] = await database.db
      .insert(users)
      .values({ email: `${randomUUID()}@example.test`, passwordHash: "x", name: "buyer", role: "customer" })
      .returning({ id: users.id });
    userId = user!.id;
  });
  afterAll(() => database?.close());

  const place = (placing: PlacementRequest) => database.placeOrderInOneStatement!(placing);

  async function addProduct(stock: number, fields: { priceCents?: number; currency?: string } = {}) {
    const { products } = database.schema;
    const slug = `p-${randomUUID()}`;
    const [row] = await database.db
      .insert(products)
      .values({ slug, name: slug, priceCents: fields.priceCents ?? 250, currency: fields.currency ?? "USD", stock })
      .returning({ id: products.id, name: products.name });
    return row!;
  }

  /** A request for `lines` (sorted by product id, as the service sends them) with fresh ids. */
  function request(
    lines: { productId: string; quantity: number }[],
    idempotencyKey = randomUUID(),
    shippingAddress: string | null = null,
  ): PlacementRequest {
    return {
      shippingAddress,
      orderId: randomUUID(),
      userId,
      idempotencyKey,
      requestHash: "hash",
      orderEventId: randomUUID(),
      at: new Date("2026-01-01T00:00:00.000Z"),
      lines: lines
        .toSorted((a, b) => (a.productId < b.productId ? -1 : 1))
        .map((line) => ({ ...line, orderItemId: randomUUID(), stockMovementId: randomUUID() })),
    };
  }

  const stockOf = async (id: string) => {
    const { products } = database.schema;
    const [row] = await database.db.select({ stock: products.stock }).from(products).where(eq(products.id, id));
    return row!.stock;
  };
  const ledgerOf = async (id: string) => {
    const { stockMovements: m } = database.schema;
    const [row] = await database.db
      .select({ sum: sql<number>`coalesce(sum(${m.delta}), 0)::int` })
      .from(m)
      .where(eq(m.productId, id));
    return row!.sum;
  };
  const writtenRows = async () => {
    const { orders, orderItems, orderEvents, stockMovements } = database.schema;
    const counts = await Promise.all(
      [orders, orderItems, orderEvents, stockMovements].map(async (table) => {
        const [row] = await database.db.select({ n: count() }).from(table);
        return row!.n;
      }),
    );
    return counts;
  };

  it("numbers its parameters $1 to $14, each once and in order (a pgbench script names them)", () => {
    expect(placementSql.match(/\$\d+/g)).toEqual(Array.from({ length: 14 }, (_, i) => `$${i + 1}`));
  });

  it("stores the sealed shipping address it is given on the order row", async () => {
    const product = await addProduct(3);
    const placing = request([{ productId: product.id, quantity: 1 }], randomUUID(), "pii1.k1.sealed-address");
    expect(await place(placing)).not.toBeNull();
    const { orders } = database.schema;
    const [order] = await database.db.select().from(orders).where(eq(orders.id, placing.orderId));
    expect(order!.shippingAddress).toBe("pii1.k1.sealed-address");
  });

  it("decrements every line and writes the order, its items, ledger rows and event, priced from the rows", async () => {
    const [a, b] = [await addProduct(10, { priceCents: 300 }), await addProduct(4, { priceCents: 125 })];
    const placing = request([
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 4 },
    ]);
    const placed = await place(placing);
    expect(placed).toEqual(
      [
        { productId: a.id, name: a.name, priceCents: 300, currency: "USD" },
        { productId: b.id, name: b.name, priceCents: 125, currency: "USD" },
      ].toSorted((x, y) => (x.productId < y.productId ? -1 : 1)),
    );
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 0]);
    const { orders, orderItems, orderEvents, stockMovements } = database.schema;
    const [order] = await database.db.select().from(orders).where(eq(orders.id, placing.orderId));
    expect(order).toMatchObject({
      userId,
      status: "pending",
      totalCents: 2 * 300 + 4 * 125,
      currency: "USD",
      version: 1,
    });
    expect(order!.createdAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    const items = await database.db.select().from(orderItems).where(eq(orderItems.orderId, placing.orderId));
    expect(items.map((item) => [item.id, item.productId, item.quantity, item.unitPriceCents]).toSorted(byId)).toEqual(
      placing.lines
        .map((line) => [line.orderItemId, line.productId, line.quantity, line.productId === a.id ? 300 : 125])
        .toSorted(byId),
    );
    const movements = await database.db
      .select()
      .from(stockMovements)
      .where(eq(stockMovements.orderId, placing.orderId));
    expect(movements.map((m) => [m.id, m.productId, m.delta, m.reason, m.actorId]).toSorted(byId)).toEqual(
      placing.lines
        .map((line) => [line.stockMovementId, line.productId, -line.quantity, "order_placed", userId])
        .toSorted(byId),
    );
    const events = await database.db.select().from(orderEvents).where(eq(orderEvents.orderId, placing.orderId));
    expect(events).toMatchObject([
      { id: placing.orderEventId, fromStatus: null, toStatus: "pending", actorId: userId },
    ]);
  });

  type Product = { id: string; name: string };
  const lastOfThree = async (last: () => Promise<Product>) => [await addProduct(5), await addProduct(5), await last()];
  const pricey = () => addProduct(50, { priceCents: MAX_PRICE_CENTS });
  it.each<[string, () => Promise<Product[]>, number]>([
    ["one line short", () => lastOfThree(() => addProduct(1)), 2],
    ["one product archived", () => lastOfThree(async () => archived(await addProduct(5))), 2],
    ["one product unknown", () => lastOfThree(async () => ({ id: randomUUID(), name: "none" })), 2],
    ["mixed currencies", () => lastOfThree(() => addProduct(5, { currency: "EUR" })), 2],
    // Each line's 10 × MAX_PRICE_CENTS fits the column; the three together do not.
    ["a total past int4", async () => [await pricey(), await pricey(), await pricey()], 10],
  ])("writes nothing and returns null when a line cannot be met: %s", async (_, products, quantity) => {
    const rows = await products();
    const before = await writtenRows();
    const stocks = await Promise.all(rows.map((row) => stockOf(row.id).catch(() => null)));
    const placed = await place(request(rows.map((row) => ({ productId: row.id, quantity }))));
    expect(placed).toBeNull();
    expect(await writtenRows()).toEqual(before);
    expect(await Promise.all(rows.map((row) => stockOf(row.id).catch(() => null)))).toEqual(stocks);
  });

  async function archived(product: Product) {
    const { products } = database.schema;
    await database.db.update(products).set({ archivedAt: new Date() }).where(eq(products.id, product.id));
    return product;
  }

  it("a reused (user, idempotency key) fails the whole statement, decrement included", async () => {
    const product = await addProduct(10);
    const key = randomUUID();
    await place(request([{ productId: product.id, quantity: 3 }], key));
    const again = await place(request([{ productId: product.id, quantity: 3 }], key)).catch((error: unknown) => error);
    expect(isUniqueViolation(again)).toBe(true);
    expect(await stockOf(product.id)).toBe(7);
    expect(await ledgerOf(product.id)).toBe(-3);
  });

  it("inside database.transaction it joins that transaction: rolling it back takes the order back", async () => {
    const product = await addProduct(10);
    const before = await writtenRows();
    const rolledBack = new Error("roll back");
    let placedInside: unknown;
    const outcome = await database
      .transaction(async () => {
        placedInside = await place(request([{ productId: product.id, quantity: 4 }]));
        throw rolledBack;
      })
      .catch((error: unknown) => error);
    expect(outcome).toBe(rolledBack);
    expect(placedInside).toHaveLength(1);
    expect(await stockOf(product.id)).toBe(10);
    expect(await writtenRows()).toEqual(before);
  });

  if (backend !== "postgres") return;

  /** Polls pg_stat_activity until a statement of this (throwaway) database waits for a lock: the placement. */
  async function waitUntilBlockedOnLock() {
    const db = database.db as unknown as { execute(query: unknown): Promise<{ rows: unknown[] }> };
    for (let tries = 0; tries < 200; tries++) {
      const { rows } = await db.execute(
        sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
      );
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("the placement never waited for the row lock");
  }

  /** Places `quantity` while another transaction holds the row, having changed its stock by `change`, then lets it commit. */
  async function whileLockedBy(change: number, quantity: number, productStock: number) {
    const product = await addProduct(productStock);
    const { products, stockMovements } = database.schema;
    const locked = signal();
    const release = signal();
    const holder = database.transaction(async (tx) => {
      await tx
        .update(products)
        .set({ stock: sql`${products.stock} + ${change}` })
        .where(eq(products.id, product.id));
      await tx.insert(stockMovements).values({ productId: product.id, delta: change, reason: "adjustment" });
      locked.fire();
      await release.fired;
    });
    await locked.fired;
    const placing = place(request([{ productId: product.id, quantity }]));
    await waitUntilBlockedOnLock();
    release.fire();
    await holder;
    return { product, placed: await placing };
  }

  // READ COMMITTED: the statement waits for the row lock, then judges and updates the row
  // version committed meanwhile, not the one its snapshot saw.
  describe("against a transaction holding the product row", () => {
    it("stock added meanwhile is there to sell: it decrements the latest version", async () => {
      const { product, placed } = await whileLockedBy(5, 3, 0);
      expect(placed).toHaveLength(1);
      expect(await stockOf(product.id)).toBe(2);
      expect(await ledgerOf(product.id)).toBe(2);
    });

    it("stock its snapshot had enough of: it still decrements the latest version, not the snapshot's", async () => {
      const { product, placed } = await whileLockedBy(1, 3, 4);
      expect(placed).toHaveLength(1);
      expect(await stockOf(product.id)).toBe(2);
      expect(await ledgerOf(product.id)).toBe(-2);
    });

    it("stock taken meanwhile is gone: it writes nothing", async () => {
      const { product, placed } = await whileLockedBy(-5, 3, 5);
      expect(placed).toBeNull();
      expect(await stockOf(product.id)).toBe(0);
      expect(await ledgerOf(product.id)).toBe(-5);
    });
  });

  it("50 concurrent clients over overlapping lines: stock never below 0, ledger equals stock changes", async () => {
    const products = await Promise.all([0, 1, 2, 3].map(() => addProduct(40)));
    const ids = products.map((p) => p.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, client) => {
        const placedItems: { productId: string; quantity: number }[] = [];
        for (let round = 0; round < 4; round++) {
          const i = client + round;
          const lines = [...ids.slice(i % 4), ...ids.slice(0, i % 4)]
            .slice(0, 1 + (i % 3))
            .map((productId, j) => ({ productId, quantity: 1 + ((i + j) % 3) }));
          const placing = request(lines);
          const placed = await place(placing);
          if (placed) placedItems.push(...placing.lines);
        }
        return placedItems;
      }),
    );
    const sold = results.flat();
    expect(sold.length).toBeGreaterThan(0);
    const { orderItems } = database.schema;
    for (const id of ids) {
      const units = sold.filter((line) => line.productId === id).reduce((sum, line) => sum + line.quantity, 0);
      const stock = await stockOf(id);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock).toBe(40 - units);
      expect(await ledgerOf(id)).toBe(stock - 40);
      const [row] = await database.db
        .select({ units: sql<number>`coalesce(sum(${orderItems.quantity}), 0)::int` })
        .from(orderItems)
        .where(inArray(orderItems.productId, [id]));
      expect(row!.units).toBe(units);
    }
    // Demand (about 50 × 4 × 4 units) far exceeds the 160 in stock: most products sell out.
    expect((await Promise.all(ids.map(stockOf))).filter((stock) => stock < 3).length).toBeGreaterThan(0);
  });
});
