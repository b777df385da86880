// reports.sales through the built server and @cartwheel/client, on SQLite and PostgreSQL:
// staff get today's figures (timestamps as ISO strings), a customer is refused, and a range
// longer than REPORT_MAX_DAYS is a 400 in plain words, naming the field.
import { REPORT_MAX_DAYS } from "@cartwheel/contracts";
import { type Database, seedCatalogIfEmpty } from "@cartwheel/db";
import { generateIndexKey, generateKeyRingEntry } from "@cartwheel/pii";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailStack, startMailStack } from "./support/mail-stack.ts";

const PASSWORD = "Copper heron sings 4";

/** The HTTP status a tRPC client error carries. */
const httpStatusOf = (error: unknown): number | undefined =>
  (error as { data?: { httpStatus?: number } } | undefined)?.data?.httpStatus;

describe.each(["sqlite", "postgres"] as const)("reports over HTTP on %s", (dialect) => {
  let stack: MailStack;
  let database: Database;

  beforeAll(async () => {
    stack = await startMailStack(dialect, {
      AUTH_SECRET: "reports-http-test-secret-".padEnd(48, "x"),
      PII_KEYS: generateKeyRingEntry("k1", { active: true }),
      PII_INDEX_KEY: generateIndexKey(),
    });
    database = stack.database;
    await seedCatalogIfEmpty(database, { now: () => new Date() });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const signedIn = async (email: string, role: "customer" | "staff") =>
    (await stack.signedIn(email, role, role, PASSWORD)).client;

  it("gives staff today's orders and revenue, and refuses customers", async () => {
    const customer = await signedIn(`ada-${dialect}@example.com`, "customer");
    const staff = await signedIn(`sam-${dialect}@shop.test`, "staff");
    const { items } = await customer.catalog.list.query({ limit: 1 });
    const product = items[0]!;
    const order = await customer.orders.place.mutate({
      items: [{ productId: product.id, quantity: 2 }],
      idempotencyKey: crypto.randomUUID(),
    });
    await staff.orders.updateStatus.mutate({ id: order.id, status: "paid" });

    const report = await staff.reports.sales.query({});
    const today = new Date().toISOString().slice(0, 10);
    expect(report.to).toBe(new Date(Date.parse(`${today}T00:00:00.000Z`) + 86_400_000).toISOString());
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toEqual({
      day: today,
      orders: 1,
      revenue: [{ currency: product.currency, cents: 2 * product.priceCents }],
    });
    expect(report.byStatus.find((entry) => entry.status === "paid")?.count).toBe(1);
    expect(report.topProducts[0]).toMatchObject({
      productId: product.id,
      quantity: 2,
      revenueCents: 2 * product.priceCents,
    });
    // Registered today: the customer and the one made staff afterwards, which no longer counts.
    expect(report.newCustomers.at(-1)).toEqual({ day: today, count: 1 });

    const refused = await customer.reports.sales.query({}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect(httpStatusOf(refused)).toBe(403);
  });

  it(`refuses a range longer than ${REPORT_MAX_DAYS} days with a 400 in plain words`, async () => {
    const staff = await signedIn(`kim-${dialect}@shop.test`, "staff");
    const refused = await staff.reports.sales
      .query({ from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect(httpStatusOf(refused)).toBe(400);
    expect((refused as Error).message).toMatch(/at most 366 days/);
  });
});
