import { testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrderMailReader } from "../src/index.ts";
import { createUser, type Harness, makeProduct, openHarness, uuid } from "./fixtures.ts";

describe.each(testBackends())("order mail reader on %s", (backend) => {
  let h: Harness;
  let reader: ReturnType<typeof createOrderMailReader>;
  beforeAll(async () => {
    h = await openHarness(backend);
    reader = createOrderMailReader(h);
  });
  afterAll(() => h.close());

  const disable = (id: string) =>
    h.database.db
      .update(h.database.schema.users)
      .set({ disabledAt: new Date() })
      .where(eq(h.database.schema.users.id, id));

  it("reads the order's lines as sold and its customer, and nothing once the customer is disabled", async () => {
    const product = await makeProduct(h, { name: "Tea & <b>Cake</b>", priceCents: 450, stock: 9 });
    const customer = await createUser(h.database, h.keys, "customer", "cleo");
    const order = await h.orders.place(customer.id, {
      items: [{ productId: product.id, quantity: 2 }],
      idempotencyKey: uuid(),
    });
    // Renamed after the sale: the mail shows what was bought.
    await h.catalog.update({ id: product.id, name: "Renamed" });
    const found = await reader.order(order.id);
    expect(found).toEqual({
      recipient: { email: expect.stringMatching(/^cleo-.*@example\.test$/), name: "cleo" },
      order: {
        id: order.id,
        totalCents: 900,
        currency: "USD",
        lines: [{ name: "Tea & <b>Cake</b>", quantity: 2, unitPriceCents: 450 }],
      },
    });
    expect(await reader.product(product.id)).toEqual({ name: "Renamed" });
    await disable(customer.id);
    expect(await reader.order(order.id)).toBeNull();
    expect(await reader.order(uuid())).toBeNull();
    expect(await reader.product(uuid())).toBeNull();
  });

  it("gives the addresses of enabled staff and admin accounts, not customers'", async () => {
    await createUser(h.database, h.keys, "admin", "ada");
    const gone = await createUser(h.database, h.keys, "staff", "gone");
    await disable(gone.id);
    const addresses = await reader.staffAddresses();
    expect(addresses).toHaveLength(2); // the harness's staff member and the admin
    expect(addresses.some((address) => address.startsWith("ada-"))).toBe(true);
    expect(addresses.some((address) => address.startsWith("sam-"))).toBe(true);
  });
});
