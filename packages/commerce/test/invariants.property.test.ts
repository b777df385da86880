// Random sequences of place, cancel, adjust, status change and upsert. After every step,
// for every product: stock >= 0 and stock == sum of its ledger deltas; and every order's
// total equals the sum of its lines.
import type { OrderStatus } from "@cartwheel/db";
import { orderStatuses } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@cartwheel/contracts";
import type { Product } from "../src/index.ts";
import { type Harness, makeProduct, openHarness, uuid } from "./fixtures.ts";

type Op =
  | { kind: "place"; buyer: number; lines: { product: number; quantity: number }[]; replay: boolean }
  | { kind: "cancel"; order: number; byStaff: boolean }
  | { kind: "adjust"; product: number; delta: number }
  | { kind: "status"; order: number; to: OrderStatus }
  | { kind: "upsert"; product: number; priceCents: number; stock: number | undefined };

const PRODUCTS = 3;
const product = fc.integer({ min: 0, max: PRODUCTS - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("place" as const),
      buyer: fc.integer({ min: 0, max: 1 }),
      lines: fc.array(fc.record({ product, quantity: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }),
      replay: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant("cancel" as const), order: fc.nat(), byStaff: fc.boolean() }),
  fc.record({
    kind: fc.constant("adjust" as const),
    product,
    delta: fc.integer({ min: -6, max: 8 }).filter((d) => d !== 0),
  }),
  fc.record({ kind: fc.constant("status" as const), order: fc.nat(), to: fc.constantFrom(...orderStatuses) }),
  fc.record({
    kind: fc.constant("upsert" as const),
    product,
    priceCents: fc.integer({ min: 0, max: 5000 }),
    stock: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  }),
);

function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

describe.each(testBackends())("commerce invariants on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  async function checkInvariants(products: Product[], orderIds: string[]) {
    const { db, schema: s } = h.database;
    const ids = products.map((p) => p.id);
    const stocks = await db
      .select({ id: s.products.id, stock: s.products.stock })
      .from(s.products)
      .where(inArray(s.products.id, ids));
    const ledger = await db
      .select({ id: s.stockMovements.productId, total: sql`sum(${s.stockMovements.delta})`.mapWith(Number) })
      .from(s.stockMovements)
      .where(inArray(s.stockMovements.productId, ids))
      .groupBy(s.stockMovements.productId);
    const sums = new Map(ledger.map((row) => [row.id, row.total]));
    for (const row of stocks) {
      expect(row.stock).toBeGreaterThanOrEqual(0);
      expect(row.stock).toBe(sums.get(row.id) ?? 0);
    }
    if (orderIds.length === 0) return;
    const totals = await db
      .select({
        total: s.orders.totalCents,
        lines: sql`sum(${s.orderItems.quantity} * ${s.orderItems.unitPriceCents})`.mapWith(Number),
      })
      .from(s.orders)
      .innerJoin(s.orderItems, eq(s.orderItems.orderId, s.orders.id))
      .where(inArray(s.orders.id, orderIds))
      .groupBy(s.orders.id, s.orders.totalCents);
    expect(totals).toHaveLength(orderIds.length);
    for (const row of totals) expect(row.total).toBe(row.lines);
  }

  async function apply(
    op: Op,
    products: Product[],
    orders: { id: string; buyer: number; key: string; input: unknown }[],
  ) {
    const buyers = [h.customer, h.otherCustomer];
    switch (op.kind) {
      case "place": {
        const previous = op.replay ? orders.findLast((o) => o.buyer === op.buyer) : undefined;
        const input = previous
          ? (previous.input as Parameters<typeof h.orders.place>[1])
          : {
              items: op.lines.map((l) => ({ productId: products[l.product]!.id, quantity: l.quantity })),
              idempotencyKey: uuid(),
            };
        const order = await h.orders.place(buyers[op.buyer]!.id, input);
        if (previous) invariant(order.id === previous.id, "a replayed key must return the original order");
        else orders.push({ id: order.id, buyer: op.buyer, key: input.idempotencyKey, input });
        return;
      }
      case "cancel": {
        const target = orders[op.order % Math.max(orders.length, 1)];
        if (target) await h.orders.cancel(target.id, op.byStaff ? h.staff : buyers[target.buyer]!);
        return;
      }
      case "adjust":
        await h.catalog.adjustStock(
          { productId: products[op.product]!.id, delta: op.delta, reason: "adjustment" },
          h.staff.id,
        );
        return;
      case "status": {
        const target = orders[op.order % Math.max(orders.length, 1)];
        if (target) await h.orders.updateStatus({ id: target.id, status: op.to }, h.staff);
        return;
      }
      case "upsert": {
        const { slug, name } = products[op.product]!;
        const result = await h.catalog.upsertMany(
          [{ slug, name, priceCents: op.priceCents, stock: op.stock }],
          h.staff.id,
        );
        invariant(result.errors.length === 0, `upsert failed: ${JSON.stringify(result.errors)}`);
        return;
      }
    }
  }

  it("keeps stock >= 0, stock == ledger sum and totals == sum of lines", async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 15 }), async (ops) => {
          const products = await Promise.all(
            Array.from({ length: PRODUCTS }, (_, i) => makeProduct(h, { stock: 3 * i, priceCents: 100 * (i + 1) })),
          );
          const orders: { id: string; buyer: number; key: string; input: unknown }[] = [];
          for (const op of ops) {
            try {
              await apply(op, products, orders);
            } catch (error) {
              // Refusals (short stock, invalid transitions, ...) are expected; anything else is a bug.
              if (!(error instanceof DomainError)) throw error;
            }
            await checkInvariants(
              products,
              orders.map((o) => o.id),
            );
          }
        }),
        { numRuns: backend === "postgres" ? 20 : 30 },
      ),
    ).resolves.toBeUndefined();
  });
});
