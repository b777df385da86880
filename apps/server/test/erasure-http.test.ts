// Erasure through the built server and @cartwheel/client, on SQLite and PostgreSQL: an admin
// erases a customer, who can then neither use their session nor sign in; their orders stay
// as an erased customer's, finished ones without an address and the one still under way
// until it is cancelled; saved addresses and session details are gone; the audit trail names
// the admin. A customer deletes their own account only with the right password.
import { createCartwheelClient } from "@cartwheel/client";
import { type Database, seedCatalogIfEmpty } from "@cartwheel/db";
import { TRPCClientError } from "@trpc/client";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";

const PASSWORD = "Silver otter counts 8";
const address = {
  name: "Erin Example",
  line1: "5 Forgetful Lane",
  city: "Oblivion",
  postalCode: "12345",
  country: "US",
  phone: "+1 555 010 9999",
};

async function reasonOf(promise: Promise<unknown>): Promise<{ reason?: string; code?: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return (error as TRPCClientError<never>).data as unknown as { reason?: string; code?: string };
}

async function placeWithAddress(client: ReturnType<typeof createCartwheelClient>) {
  const { items } = await client.catalog.list.query({ limit: 1 });
  return client.orders.place.mutate({
    items: [{ productId: items[0]!.id, quantity: 1 }],
    idempotencyKey: crypto.randomUUID(),
    shippingAddress: address,
  });
}

describe.each(["sqlite", "postgres"] as const)("erasure over HTTP on %s", (dialect) => {
  let stack: MailStack;
  let database: Database;

  beforeAll(async () => {
    stack = await startMailStack(dialect, { AUTH_SECRET: "erasure-http-test-secret-".padEnd(48, "x") });
    database = stack.database;
    await seedCatalogIfEmpty(database, { now: () => new Date() });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const account = async (email: string, role: "customer" | "staff" | "admin") => ({
    ...(await stack.signedIn(email, email.split("@")[0]!, role, PASSWORD)),
    email,
  });

  it("erases a customer's personal data, keeps their orders and records who did it", async () => {
    const customer = await account(`erin-${dialect}@example.com`, "customer");
    const admin = await account(`ada-${dialect}@shop.test`, "admin");
    await customer.client.addresses.save.mutate({ address });
    const delivered = await placeWithAddress(customer.client);
    const underWay = await placeWithAddress(customer.client);
    for (const status of ["paid", "shipped", "delivered"] as const) {
      await admin.client.orders.updateStatus.mutate({ id: delivered.id, status });
    }

    await expect(admin.client.users.erase.mutate({ userId: customer.id })).resolves.toEqual({ erased: true });

    expect((await reasonOf(customer.client.auth.me.query())).code).toBe("UNAUTHORIZED");
    const login = createCartwheelClient({ url: stack.server.url }).auth.login.mutate({
      email: customer.email,
      password: PASSWORD,
      transport: "token",
    });
    expect((await reasonOf(login)).reason).toBe("invalid_credentials");

    const staffView = await admin.client.orders.byId.query({ id: delivered.id });
    expect(staffView.customer).toEqual({ id: customer.id, name: "Erased customer", email: "", erased: true });
    expect(staffView.shippingAddress).toBeNull();
    expect((await admin.client.orders.byId.query({ id: underWay.id })).shippingAddress).not.toBeNull();
    await admin.client.orders.updateStatus.mutate({ id: underWay.id, status: "cancelled" });
    expect((await admin.client.orders.byId.query({ id: underWay.id })).shippingAddress).toBeNull();
    expect((await admin.client.orders.list.query({ email: customer.email })).items).toEqual([]);

    const s = database.schema;
    expect(await database.db.select().from(s.addresses).where(eq(s.addresses.userId, customer.id))).toEqual([]);
    const sessions = await database.db.select().from(s.sessions).where(eq(s.sessions.userId, customer.id));
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.map((row) => [row.ip, row.userAgent, row.revokedAt !== null])).toEqual(
      sessions.map(() => [null, null, true]),
    );
    const [user] = await database.db.select().from(s.users).where(eq(s.users.id, customer.id));
    expect(user!.erasedAt).not.toBeNull();
    expect(stack.pii.pii.open("users.email", user!.email)).toBe(`erased-${customer.id}@erased.invalid`);
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.subjectId, customer.id));
    expect(audit.map((row) => [row.action, row.actorId])).toEqual([["user.erased", admin.id]]);
  });

  it("erases only customers, and not the admin themselves", async () => {
    const admin = await account(`root-${dialect}@shop.test`, "admin");
    const staff = await account(`sam-${dialect}@shop.test`, "staff");
    expect((await reasonOf(admin.client.users.erase.mutate({ userId: staff.id }))).reason).toBe("erasure_refused");
    expect((await reasonOf(admin.client.users.erase.mutate({ userId: admin.id }))).reason).toBe("self_change");
    expect((await reasonOf(staff.client.users.erase.mutate({ userId: admin.id }))).code).toBe("FORBIDDEN");
  });

  it("lets a customer delete their own account with their password, and not without it", async () => {
    const customer = await account(`self-${dialect}@example.com`, "customer");
    const wrong = await reasonOf(customer.client.auth.deleteAccount.mutate({ password: "not my password" }));
    expect(wrong.reason).toBe("invalid_input");
    expect(await customer.client.auth.me.query()).toMatchObject({ email: customer.email });

    await expect(customer.client.auth.deleteAccount.mutate({ password: PASSWORD })).resolves.toEqual({ erased: true });
    expect((await reasonOf(customer.client.auth.me.query())).code).toBe("UNAUTHORIZED");
    const s = database.schema;
    const audit = await database.db.select().from(s.auditEvents).where(eq(s.auditEvents.subjectId, customer.id));
    expect(audit.map((row) => [row.action, row.actorId])).toEqual([["user.erased", customer.id]]);
  });
});
