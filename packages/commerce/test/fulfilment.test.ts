// What staff need to ship an order: where it goes, who placed it, a search that finds it by
// the short id people read out, and a shipment the customer sees. Addresses are sealed at
// rest: the raw rows hold none of their text.
import { listOrdersSchema, type ListOrdersInput, shortOrderId, type ShippingAddressInput } from "@cartwheel/contracts";
import { testBackends } from "@cartwheel/db/testing";
import { openUserRow, PiiIntegrityError } from "@cartwheel/pii";
import { testPii } from "@cartwheel/pii/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrderService } from "../src/index.ts";
import { type Harness, makeProduct, openHarness, uuid } from "./fixtures.ts";

const address: ShippingAddressInput = {
  name: "Ada Lovelace",
  line1: "12 Marylebone Road",
  line2: "Flat 3",
  city: "London",
  region: "Greater London",
  postalCode: "nw1 5ln",
  country: "gb",
  phone: "+44 20 7946 0958",
};

const search = (input: ListOrdersInput) => listOrdersSchema.parse(input);

describe.each(testBackends({ sqlite: "file" }))("fulfilment on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  async function placeWithAddress(userId = h.customer.id) {
    const product = await makeProduct(h, { stock: 5 });
    return h.orders.place(userId, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: uuid(),
      shippingAddress: address,
    });
  }

  it("keeps the address with the order, normalised, and shows staff the customer and address", async () => {
    const order = await placeWithAddress();
    expect(order.hasShippingAddress).toBe(true);
    const detail = await h.orders.byId(order.id, h.staff);
    expect(detail.shippingAddress).toEqual({
      ...address,
      postalCode: "NW1 5LN",
      country: "GB",
      phone: "+442079460958",
    });
    expect(detail.customer).toMatchObject({ id: h.customer.id, name: "alice" });
    expect(detail.customer.email).toMatch(/^alice-.*@example\.test$/);
  });

  it("stores no part of an address or phone number in the clear", async () => {
    const order = await placeWithAddress();
    await h.addresses.save(h.customer.id, { address });
    const { orders, addresses } = h.database.schema;
    const [row] = await h.database.db.select().from(orders).where(eq(orders.id, order.id));
    const saved = await h.database.db.select().from(addresses).where(eq(addresses.userId, h.customer.id));
    const raw = [row!.shippingAddress!, ...saved.map((entry) => entry.address)];
    expect(raw.length).toBeGreaterThanOrEqual(2);
    for (const value of raw) {
      // Only the sealed form: version, key id, then three base64url parts.
      expect(value).toMatch(/^pii1\.test\.[\w-]+\.[\w-]+\.[\w-]+$/);
      // Parts of 6 or more characters, as sent and as stored: shorter ones turn up in base64 by chance.
      for (const part of ["Lovelace", "Marylebone", "London", "NW1 5LN", "+442079460958", "79460958"]) {
        expect(value).not.toContain(part);
      }
    }
  });

  it("refuses to show an address sealed under a key it does not hold, instead of showing garbage", async () => {
    const order = await placeWithAddress();
    const stranger = createOrderService({ database: h.database, now: h.clock.now, ...testPii("other") });
    await expect(stranger.byId(order.id, h.staff)).rejects.toThrow(/other|test/);
    const { orders } = h.database.schema;
    const [row] = await h.database.db.select().from(orders).where(eq(orders.id, order.id));
    const tampered = `${row!.shippingAddress!.slice(0, -3)}${row!.shippingAddress!.endsWith("A") ? "B" : "A"}AA`;
    await h.database.db.update(orders).set({ shippingAddress: tampered }).where(eq(orders.id, order.id));
    await expect(h.orders.byId(order.id, h.staff)).rejects.toBeInstanceOf(PiiIntegrityError);
  });

  it("finds an order by its short id, a longer suffix, or its full id, in any case", async () => {
    const order = await placeWithAddress();
    const short = shortOrderId(order.id);
    for (const reference of [short, short.toLowerCase(), `#${short}`, order.id.slice(-12), order.id.toUpperCase()]) {
      const found = await h.orders.list(search({ reference, limit: 100 }));
      expect(found.items.map((item) => item.id)).toEqual([order.id]);
    }
    const none = await h.orders.list(search({ reference: "00000000", limit: 100 }));
    expect(none.items.filter((item) => item.id.endsWith("00000000"))).toEqual(none.items);
  });

  it("searches by the customer's exact e-mail, status and date range, with keyset pages", async () => {
    const { users } = h.database.schema;
    const [row] = await h.database.db.select().from(users).where(eq(users.id, h.otherCustomer.id));
    const bob = openUserRow(h.pii, row!);
    const start = h.clock.now();
    const placed = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(60_000);
      placed.push(await placeWithAddress(h.otherCustomer.id));
    }
    await h.orders.updateStatus({ id: placed[0]!.id, status: "paid" }, h.staff);

    const byEmail = await h.orders.list(search({ email: bob.email.toUpperCase(), limit: 100 }));
    expect(byEmail.items.map((item) => item.id).toSorted()).toEqual(placed.map((order) => order.id).toSorted());
    expect(byEmail.items[0]!.customer).toEqual({ id: bob.id, name: "bob", email: bob.email, erased: false });
    const partial = await h.orders.list(search({ email: `x${bob.email}`, limit: 100 }));
    expect(partial.items).toEqual([]);

    const paid = await h.orders.list(search({ email: bob.email, status: "paid", limit: 100 }));
    expect(paid.items.map((item) => item.id)).toEqual([placed[0]!.id]);

    const window = await h.orders.list(
      search({
        email: bob.email,
        placedFrom: new Date(start.getTime() + 90_000).toISOString(),
        placedBefore: new Date(start.getTime() + 180_000).toISOString(),
        limit: 100,
      }),
    );
    expect(window.items.map((item) => item.id)).toEqual([placed[1]!.id]);

    const first = await h.orders.list(search({ email: bob.email, limit: 2 }));
    expect(first.items.map((item) => item.id)).toEqual([placed[2]!.id, placed[1]!.id]);
    const second = await h.orders.list(search({ email: bob.email, limit: 2, cursor: first.nextCursor! }));
    expect(second.items.map((item) => item.id)).toEqual([placed[0]!.id]);
    expect(second.nextCursor).toBeNull();
  });

  it("records the carrier and tracking number with the shipped status, and names who did what for staff", async () => {
    const order = await placeWithAddress();
    await h.orders.updateStatus({ id: order.id, status: "paid" }, h.staff);
    const shipped = await h.orders.updateStatus(
      { id: order.id, status: "shipped", shipment: { carrier: " DHL ", trackingNumber: "JD014600006281234567" } },
      h.staff,
    );
    expect(shipped.shipment).toEqual({ carrier: "DHL", trackingNumber: "JD014600006281234567" });
    const mine = await h.orders.byId(order.id, h.customer);
    expect(mine.shipment).toEqual({ carrier: "DHL", trackingNumber: "JD014600006281234567" });
    expect(mine.events.map((event) => event.actor)).toEqual([null, null, null]);
    expect(mine.events.map((event) => event.actorId)).toEqual([h.customer.id, null, null]);
    expect(mine.allowedTransitions).toEqual([]);
    expect((await h.orders.byId(order.id, h.staff)).allowedTransitions).toEqual(["delivered"]);
    const staffView = await h.orders.byId(order.id, h.staff);
    expect(staffView.events.map((event) => [event.toStatus, event.actor?.name, event.actor?.role])).toEqual([
      ["pending", "alice", "customer"],
      ["paid", "sam", "staff"],
      ["shipped", "sam", "staff"],
    ]);
  });

  it("takes a shipment only with the shipped status", () => {
    const parsed = listOrdersSchema.safeParse({ reference: "not-an-id" });
    expect(parsed.success).toBe(false);
    expect(() =>
      h.orders.updateStatus({ id: uuid(), status: "paid", shipment: { carrier: "DHL", trackingNumber: "1" } }, h.staff),
    ).toThrow(/shipped status/);
  });

  it("removes the address of orders finished longer ago than the retention period, and keeps the orders", async () => {
    const day = 86_400_000;
    const delivered = await placeWithAddress();
    const cancelled = await placeWithAddress();
    const recent = await placeWithAddress();
    const pending = await placeWithAddress();
    for (const status of ["paid", "shipped", "delivered"] as const) {
      await h.orders.updateStatus({ id: delivered.id, status }, h.staff);
    }
    await h.orders.cancel(cancelled.id, h.customer);
    h.clock.advance(60 * day);
    for (const status of ["paid", "shipped", "delivered"] as const) {
      await h.orders.updateStatus({ id: recent.id, status }, h.staff);
    }
    h.clock.advance(31 * day);
    expect(await h.orders.purgeFinishedAddresses(90)).toMatchObject({ removed: 2, more: false });
    for (const old of [delivered, cancelled]) {
      const detail = await h.orders.byId(old.id, h.staff);
      expect([detail.shippingAddress, detail.hasShippingAddress]).toEqual([null, false]);
    }
    expect((await h.orders.byId(delivered.id, h.staff)).status).toBe("delivered");
    expect((await h.orders.byId(recent.id, h.staff)).shippingAddress).not.toBeNull();
    expect((await h.orders.byId(pending.id, h.staff)).shippingAddress).not.toBeNull();
    expect(await h.orders.purgeFinishedAddresses(90)).toEqual({ removed: 0, more: false });
  });

  it("keeps a customer's address book: saves once, lists oldest first, removes only their own", async () => {
    const owner = h.otherCustomer.id;
    const first = await h.addresses.save(owner, { address });
    const again = await h.addresses.save(owner, { address: { ...address, phone: "+442079460958" } });
    expect(again.id).toBe(first.id);
    const other = await h.addresses.save(owner, { address: { ...address, line1: "221B Baker Street", line2: "" } });
    expect((await h.addresses.list(owner)).map((entry) => entry.id)).toEqual([first.id, other.id]);
    await expect(h.addresses.remove(h.customer.id, { id: first.id })).rejects.toMatchObject({ reason: "not_found" });
    await h.addresses.remove(owner, { id: first.id });
    expect((await h.addresses.list(owner)).map((entry) => entry.address.line1)).toEqual(["221B Baker Street"]);
  });

  it("caps the address book", async () => {
    const owner = h.staff.id;
    const { addresses } = h.database.schema;
    for (let i = 0; i < 10; i++) await h.addresses.save(owner, { address: { ...address, line2: `Flat ${i}` } });
    await expect(h.addresses.save(owner, { address: { ...address, line2: "Flat 99" } })).rejects.toMatchObject({
      reason: "address_limit",
    });
    const [counted] = await h.database.db
      .select({ n: sql`count(*)`.mapWith(Number) })
      .from(addresses)
      .where(eq(addresses.userId, owner));
    expect(counted!.n).toBe(10);
  });
});
