// Staff's sales report: exact figures per UTC day (zero days filled in, an order just before
// midnight UTC on its own day), revenue from paid/shipped/delivered orders only and per
// currency, status counts, best sellers, low stock and new customers; a range too long refused.
import { DomainError, REPORT_MAX_DAYS, type ShippingAddressInput } from "@cartwheel/contracts";
import { salesReportSchema } from "@cartwheel/contracts";
import { testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderStatus } from "@cartwheel/db";
import { createReports, type Reports, type SalesReport } from "../src/index.ts";
import { createUser, type Harness, makeProduct, openHarness, uuid } from "./fixtures.ts";

const address: ShippingAddressInput = {
  name: "Ada Lovelace",
  line1: "12 Marylebone Road",
  city: "London",
  postalCode: "NW1 5LN",
  country: "GB",
  phone: "+44 20 7946 0958",
};

const at = (iso: string) => Date.parse(iso);
const range = { from: new Date("2026-01-02T00:00:00.000Z"), to: new Date("2026-01-06T00:00:00.000Z") };

describe.each(testBackends({ sqlite: "file" }))("sales report on %s", (backend) => {
  let h: Harness;
  let reports: Reports;
  let report: SalesReport;
  const ids: Record<string, string> = {};

  /** Moves the fake clock to `iso` (forward only) and places one order, then walks it to `status`. */
  async function orderAt(iso: string, lines: [string, number][], status: OrderStatus) {
    h.clock.advance(at(iso) - h.clock.now().getTime());
    const order = await h.orders.place(h.customer.id, {
      items: lines.map(([productId, quantity]) => ({ productId, quantity })),
      idempotencyKey: uuid(),
      shippingAddress: address,
    });
    const path: OrderStatus[] = {
      pending: [],
      paid: ["paid"],
      shipped: ["paid", "shipped"],
      delivered: ["paid", "shipped", "delivered"],
      cancelled: ["cancelled"],
    }[status] as OrderStatus[];
    for (const next of path) await h.orders.updateStatus({ id: order.id, status: next }, h.staff);
    return order;
  }

  async function customerJoinedAt(iso: string, role: "customer" | "staff" = "customer") {
    const user = await createUser(h.database, h.keys, role, "joiner");
    const u = h.database.schema.users;
    await h.database.db
      .update(u)
      .set({ createdAt: new Date(iso) })
      .where(eq(u.id, user.id));
  }

  beforeAll(async () => {
    h = await openHarness(backend, () => ({ lowStockThreshold: 5 }));
    reports = createReports({ database: h.database, now: h.clock.now, lowStockThreshold: 5 });
    const mug = await makeProduct(h, { name: "Mug", priceCents: 1000, stock: 100 });
    const tea = await makeProduct(h, { name: "Tea", priceCents: 500, currency: "EUR", stock: 100 });
    const pen = await makeProduct(h, { name: "Pen", priceCents: 300, stock: 100 });
    const empty = await makeProduct(h, { name: "Empty", stock: 0 });
    const few = await makeProduct(h, { name: "Few", stock: 3 });
    const archived = await makeProduct(h, { name: "Gone", stock: 1 });
    await h.catalog.archive(archived.id);
    await makeProduct(h, { name: "Enough", stock: 5 });
    Object.assign(ids, { mug: mug.id, tea: tea.id, pen: pen.id, empty: empty.id, few: few.id });

    // Before the range: not counted.
    await orderAt("2026-01-01T23:59:59.999Z", [[mug.id, 5]], "paid");
    // 2 January.
    await orderAt("2026-01-02T10:00:00.000Z", [[mug.id, 2]], "paid"); // USD 2000
    await orderAt("2026-01-02T11:00:00.000Z", [[tea.id, 1]], "paid"); // EUR 500
    await orderAt("2026-01-02T12:00:00.000Z", [[mug.id, 1]], "pending"); // not revenue
    await orderAt("2026-01-02T23:59:59.998Z", [[pen.id, 3]], "cancelled"); // not revenue
    await orderAt(
      "2026-01-02T23:59:59.999Z",
      [
        [pen.id, 1],
        [mug.id, 1],
      ],
      "shipped",
    ); // USD 1300, still 2 January
    // 3 January: nothing. 4 January, at midnight.
    await orderAt("2026-01-04T00:00:00.000Z", [[tea.id, 2]], "delivered"); // EUR 1000
    // 5 January: pending only.
    await orderAt("2026-01-05T08:00:00.000Z", [[pen.id, 1]], "pending");
    // At `to`: not counted.
    await orderAt("2026-01-06T00:00:00.000Z", [[mug.id, 9]], "paid");

    await customerJoinedAt("2026-01-03T00:00:00.000Z");
    await customerJoinedAt("2026-01-03T23:59:59.999Z");
    await customerJoinedAt("2026-01-05T12:00:00.000Z");
    await customerJoinedAt("2026-01-03T12:00:00.000Z", "staff");
    await customerJoinedAt("2026-01-06T00:00:00.000Z");
    await customerJoinedAt("2026-01-01T23:59:59.999Z");

    report = await reports.sales(range);
  });
  afterAll(() => h.close());

  it("has one entry per UTC day, zero days included, revenue per currency from paid, shipped and delivered orders", () => {
    expect(report.from).toEqual(range.from);
    expect(report.to).toEqual(range.to);
    expect(report.days).toEqual([
      {
        day: "2026-01-02",
        orders: 5,
        revenue: [
          { currency: "EUR", cents: 500 },
          { currency: "USD", cents: 3300 },
        ],
      },
      { day: "2026-01-03", orders: 0, revenue: [] },
      { day: "2026-01-04", orders: 1, revenue: [{ currency: "EUR", cents: 1000 }] },
      { day: "2026-01-05", orders: 1, revenue: [] },
    ]);
  });

  it("counts every order placed in the range by status", () => {
    expect(report.byStatus).toEqual([
      { status: "pending", count: 2 },
      { status: "paid", count: 2 },
      { status: "shipped", count: 1 },
      { status: "delivered", count: 1 },
      { status: "cancelled", count: 1 },
    ]);
  });

  it("lists the best sellers by revenue, each currency apart, without pending or cancelled lines", () => {
    expect(report.topProducts).toEqual([
      { productId: ids.mug, name: "Mug", currency: "USD", quantity: 3, revenueCents: 3000 },
      { productId: ids.tea, name: "Tea", currency: "EUR", quantity: 3, revenueCents: 1500 },
      { productId: ids.pen, name: "Pen", currency: "USD", quantity: 1, revenueCents: 300 },
    ]);
  });

  it("lists products below the low-stock threshold, lowest first, archived ones left out", () => {
    expect(report.lowStockThreshold).toBe(5);
    expect(report.lowStock.map(({ productId, name, stock }) => ({ productId, name, stock }))).toEqual([
      { productId: ids.empty, name: "Empty", stock: 0 },
      { productId: ids.few, name: "Few", stock: 3 },
    ]);
  });

  it("counts new customers per UTC day, staff and days outside the range left out", () => {
    expect(report.newCustomers).toEqual([
      { day: "2026-01-02", count: 0 },
      { day: "2026-01-03", count: 2 },
      { day: "2026-01-04", count: 0 },
      { day: "2026-01-05", count: 1 },
    ]);
  });

  it("defaults to the last 30 UTC days, today included", async () => {
    // The clock stands at 2026-01-06T00:00:00Z.
    const recent = await reports.sales({});
    expect(recent.from).toEqual(new Date("2025-12-08T00:00:00.000Z"));
    expect(recent.to).toEqual(new Date("2026-01-07T00:00:00.000Z"));
    expect(recent.days).toHaveLength(30);
    expect(recent.days.at(-1)).toEqual({ day: "2026-01-06", orders: 1, revenue: [{ currency: "USD", cents: 9000 }] });
    expect(recent.days.reduce((sum, day) => sum + day.orders, 0)).toBe(9);
  });

  it(`refuses a range longer than ${REPORT_MAX_DAYS} days, or one that ends before it starts`, async () => {
    const tooLong = salesReportSchema.safeParse({ from: "2025-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z" });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toMatch(/at most 366 days/);
    expect(salesReportSchema.safeParse({ from: "2025-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }).success).toBe(
      true,
    );
    expect(salesReportSchema.safeParse({ from: "2026-01-02T00:00:00Z", to: "2026-01-02T00:00:00Z" }).success).toBe(
      false,
    );
    // Only `from`, with `to` defaulting to tomorrow: checked by the service once the default is in.
    const error = await reports.sales({ from: new Date("2024-01-01T00:00:00Z") }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).reason).toBe("invalid_input");
    expect((error as Error).message).toMatch(/at most 366 days/);
  });
});
