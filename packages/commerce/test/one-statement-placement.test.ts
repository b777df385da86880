// The PostgreSQL path of orders.place (database.placeOrderInOneStatement): when the statement
// wrote nothing but every line looks satisfiable a moment later (stock came back in between),
// the service tries again rather than inventing a shortage, and gives up with a retryable error.
import { type Database, TransactionRetryError } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrderService } from "../src/index.ts";
import { countRows, type Harness, ledgerSum, makeProduct, openHarness, stockOf, uuid } from "./fixtures.ts";

const postgresBackends = testBackends().filter((backend) => backend === "pglite" || backend === "postgres");

describe.each(postgresBackends)("one-statement placement on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("is the path PostgreSQL takes", () => {
    expect(h.database.placeOrderInOneStatement).toBeTypeOf("function");
  });

  /** The order service on a database whose placement statement writes nothing for the first `misses` calls. */
  function missing(misses: number) {
    const place = h.database.placeOrderInOneStatement!;
    let calls = 0;
    const database: Database = {
      ...h.database,
      placeOrderInOneStatement: async (request) => (++calls <= misses ? null : place(request)),
    };
    return { orders: createOrderService({ database, now: h.clock.now, ...h.keys }), calls: () => calls };
  }

  it("tries again when nothing was short after all, and places the order once", async () => {
    const product = await makeProduct(h, { stock: 5 });
    const { orders, calls } = missing(1);
    const order = await orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 2 }],
      idempotencyKey: uuid(),
    });
    expect(calls()).toBe(2);
    expect(order.items).toMatchObject([{ productId: product.id, quantity: 2 }]);
    expect(await stockOf(h.database, product.id)).toBe(3);
    expect(await ledgerSum(h.database, product.id)).toBe(3);
  });

  it("gives up after three attempts with a retryable error, having written nothing", async () => {
    const product = await makeProduct(h, { stock: 5 });
    const ordersBefore = await countRows(h.database, "orders");
    const { orders, calls } = missing(3);
    const error = await orders
      .place(h.customer.id, { items: [{ productId: product.id, quantity: 2 }], idempotencyKey: uuid() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionRetryError);
    expect(calls()).toBe(3);
    expect(await countRows(h.database, "orders")).toBe(ordersBefore);
    expect(await stockOf(h.database, product.id)).toBe(5);
  });
});
