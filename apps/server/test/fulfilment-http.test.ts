// Fulfilment through the built server and @cartwheel/client, on SQLite and PostgreSQL: a
// customer saves an address and checks out with it, staff find the order by the short id the
// web app shows, see who placed it and where it goes, and ship it with a tracking number the
// customer then sees. A bad phone number is a 400 naming the field, and places nothing. The
// raw rows hold the address sealed under the configured key, none of it in the clear.
import { shortOrderId } from "@cartwheel/contracts";
import { type Database, seedCatalogIfEmpty } from "@cartwheel/db";
import { generateIndexKey, generateKeyRingEntry } from "@cartwheel/pii";
import { TRPCClientError } from "@trpc/client";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";

const PASSWORD = "Copper heron sings 4";
const address = {
  name: "Grace Hopper",
  line1: "1 Navy Yard Way",
  city: "Arlington",
  region: "VA",
  postalCode: "22202",
  country: "US",
  phone: "+1 (703) 555-0142",
};

describe.each(["sqlite", "postgres"] as const)("fulfilment over HTTP on %s", (dialect) => {
  let stack: MailStack;
  let database: Database;

  beforeAll(async () => {
    stack = await startMailStack(dialect, {
      AUTH_SECRET: "fulfilment-http-test-secret-".padEnd(48, "x"),
      PII_KEYS: `${generateKeyRingEntry("k2", { active: true })},${generateKeyRingEntry("k1", { active: false })}`,
      PII_INDEX_KEY: generateIndexKey(),
    });
    database = stack.database;
    await seedCatalogIfEmpty(database, { now: () => new Date() });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const signedIn = async (email: string, name: string, role: "customer" | "staff") =>
    (await stack.signedIn(email, name, role, PASSWORD)).client;

  const orderCount = async () => {
    const [row] = await database.db.select({ n: count() }).from(database.schema.orders);
    return row!.n;
  };

  it("takes an order with an address to a shipment the customer can track", async () => {
    const customer = await signedIn(`grace-${dialect}@example.com`, "Grace", "customer");
    const staff = await signedIn(`sam-${dialect}@shop.test`, "Sam", "staff");

    const saved = await customer.addresses.save.mutate({ address });
    expect(saved.address.phone).toBe("+17035550142");
    expect((await customer.addresses.list.query()).map((entry) => entry.id)).toEqual([saved.id]);

    const { items } = await customer.catalog.list.query({ limit: 1 });
    const order = await customer.orders.place.mutate({
      items: [{ productId: items[0]!.id, quantity: 1 }],
      idempotencyKey: crypto.randomUUID(),
      shippingAddress: saved.address,
    });
    expect(order.hasShippingAddress).toBe(true);

    const found = await staff.orders.list.query({ reference: shortOrderId(order.id).toLowerCase() });
    expect(found.items.map((item) => item.id)).toEqual([order.id]);
    expect(found.items[0]!.customer).toEqual({
      id: order.userId,
      name: "Grace",
      email: `grace-${dialect}@example.com`,
      erased: false,
    });
    const byEmail = await staff.orders.list.query({ email: `GRACE-${dialect}@example.com` });
    expect(byEmail.items.map((item) => item.id)).toEqual([order.id]);

    const detail = await staff.orders.byId.query({ id: order.id });
    expect(detail.shippingAddress).toEqual({ ...address, line2: "", phone: "+17035550142" });
    await staff.orders.updateStatus.mutate({ id: order.id, status: "paid" });
    await staff.orders.updateStatus.mutate({
      id: order.id,
      status: "shipped",
      shipment: { carrier: "UPS", trackingNumber: "1Z999AA10123456784" },
    });

    const tracked = await customer.orders.byId.query({ id: order.id });
    expect(tracked.status).toBe("shipped");
    expect(tracked.shipment).toEqual({ carrier: "UPS", trackingNumber: "1Z999AA10123456784" });
    expect(tracked.events.map((event) => event.actor)).toEqual([null, null, null]);
    const timeline = await staff.orders.byId.query({ id: order.id });
    expect(timeline.events.map((event) => event.actor?.name ?? null)).toEqual(["Grace", "Sam", "Sam"]);

    const { orders, addresses } = database.schema;
    const [row] = await database.db.select().from(orders).where(eq(orders.id, order.id));
    const [savedRow] = await database.db.select().from(addresses).where(eq(addresses.id, saved.id));
    for (const sealed of [row!.shippingAddress!, savedRow!.address]) {
      expect(sealed.startsWith("pii1.k2.")).toBe(true);
      // Parts of 6 or more characters (shorter ones turn up in base64 by chance).
      for (const part of ["Hopper", "Navy Yard", "Arlington", "+17035550142", "7035550142"]) {
        expect(sealed).not.toContain(part);
      }
    }
  });

  it("answers a bad phone number with a 400 naming the field, and places nothing", async () => {
    const customer = await signedIn(`bad-phone-${dialect}@example.com`, "Pat", "customer");
    const { items } = await customer.catalog.list.query({ limit: 1 });
    const before = await orderCount();
    const error = await customer.orders.place
      .mutate({
        items: [{ productId: items[0]!.id, quantity: 1 }],
        idempotencyKey: crypto.randomUUID(),
        shippingAddress: { ...address, phone: "555-0142" },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<never>).data as unknown as {
      httpStatus: number;
      fieldErrors?: Record<string, string[]>;
    };
    expect(data.httpStatus).toBe(400);
    expect(data.fieldErrors?.["shippingAddress.phone"]?.[0]).toMatch(/country code/);
    expect(await orderCount()).toBe(before);
  });

  it("answers a short id that is not one with a 400, over plain HTTP", async () => {
    const email = `sam2-${dialect}@shop.test`;
    await signedIn(email, "Sam", "staff");
    const login = await fetch(`${stack.server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD, transport: "token" }),
    });
    const { accessToken } = ((await login.json()) as { result: { data: { accessToken: string } } }).result.data;
    const input = encodeURIComponent(JSON.stringify({ reference: "B816" }));
    const response = await fetch(`${stack.server.url}/trpc/orders.list?input=${input}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { data: { fieldErrors: Record<string, string[]> } } };
    expect(body.error.data.fieldErrors.reference?.[0]).toMatch(/last 8 to 12 hex digits/);
  });
});
