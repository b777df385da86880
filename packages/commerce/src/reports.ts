// Staff reports: sales over a date range, aggregated in SQL (one GROUP BY query per figure,
// never the rows themselves), on both dialects. Days are UTC calendar days (Database.utcDay);
// the range is [from, to), and days without orders are filled in here with zeros, so a chart
// has no gaps.
//
// What counts as revenue: orders whose status is paid, shipped or delivered. A pending order
// has not been paid for (it may still expire) and a cancelled one was not sold, so neither adds
// to revenue or to the best sellers; both are still counted in `orders` and `byStatus`, which
// count every order placed in the range. Money is kept per currency: the shop may sell in several.
import {
  DAY_MS,
  DEFAULT_LOW_STOCK_THRESHOLD,
  DomainError,
  orderStatuses,
  REPORT_LOW_STOCK,
  REPORT_TOP_PRODUCTS,
  reportRangeProblem,
  REPORT_RANGE_ORDER_MESSAGE,
  resolveReportRange,
  type SalesReportQuery,
  startOfUtcDay,
} from "@cartwheel/contracts";
import type { Database, OrderStatus } from "@cartwheel/db";
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";

/** Statuses whose orders count as revenue (and best sellers). */
export const REVENUE_STATUSES = ["paid", "shipped", "delivered"] as const satisfies readonly OrderStatus[];

export interface ReportDeps {
  database: Database;
  now: () => Date;
  /** LOW_STOCK_THRESHOLD; DEFAULT_LOW_STOCK_THRESHOLD without one. */
  lowStockThreshold?: number | undefined;
}

/**
 * A sum or count as a JS number. PostgreSQL answers bigint and numeric sums as strings; a value
 * past 2^53 would lose cents, so it is refused rather than rounded.
 */
function exactNumber(value: unknown): number {
  const number = typeof value === "number" ? value : Number(value ?? 0);
  if (!Number.isSafeInteger(number)) throw new RangeError(`a report total is not a safe integer: ${String(value)}`);
  return number;
}

/** Each UTC day (`YYYY-MM-DD`) with any part in [from, to). */
function daysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let time = startOfUtcDay(from).getTime(); time < to.getTime(); time += DAY_MS) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
}

export function createReports(deps: ReportDeps) {
  const { database } = deps;
  const threshold = deps.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
  const { orders: o, orderItems: i, products: p, users: u } = database.schema;
  const db = database.reader;

  return {
    /**
     * Sales in [from, to) (defaults: the last 30 UTC days, today included). `days` and
     * `newCustomers` have one entry per UTC day of the range; `byStatus` one per status.
     * Takes the parsed input (salesReportSchema); the range is checked again once its defaults are in.
     */
    async sales(query: SalesReportQuery = {}) {
      const { from, to } = resolveReportRange(query, deps.now());
      const problem = reportRangeProblem(from, to);
      if (problem) {
        throw new DomainError("invalid_input", problem, {
          field: problem === REPORT_RANGE_ORDER_MESSAGE ? "to" : "from",
        });
      }
      const placed = and(gte(o.createdAt, from), lt(o.createdAt, to));
      const counted = inArray(o.status, [...REVENUE_STATUSES]);

      const day = database.utcDay(o.createdAt);
      const countedFlag = sql`case when ${counted} then 1 else 0 end`;
      const dailyQuery = db
        .select({
          day,
          currency: o.currency,
          orders: sql`count(*)`.mapWith(exactNumber),
          counted: sql`sum(${countedFlag})`.mapWith(exactNumber),
          cents: sql`sum(case when ${counted} then ${o.totalCents} else 0 end)`.mapWith(exactNumber),
        })
        .from(o)
        .where(placed)
        .groupBy(day, o.currency);

      const statusQuery = db
        .select({ status: o.status, count: sql`count(*)`.mapWith(exactNumber) })
        .from(o)
        .where(placed)
        .groupBy(o.status);

      // quantity × unit price fits neither column type in general (100 × 10^8), so it is widened first.
      const revenueCents = sql`sum(cast(${i.quantity} as bigint) * ${i.unitPriceCents})`.mapWith(exactNumber);
      const topQuery = db
        .select({
          productId: i.productId,
          name: p.name,
          currency: o.currency,
          quantity: sql`sum(${i.quantity})`.mapWith(exactNumber),
          revenueCents,
        })
        .from(i)
        .innerJoin(o, eq(o.id, i.orderId))
        .innerJoin(p, eq(p.id, i.productId))
        .where(and(placed, counted))
        .groupBy(i.productId, p.name, o.currency)
        .orderBy(desc(revenueCents), asc(i.productId), asc(o.currency))
        .limit(REPORT_TOP_PRODUCTS);

      const lowQuery = db
        .select({ productId: p.id, slug: p.slug, name: p.name, stock: p.stock })
        .from(p)
        .where(and(isNull(p.archivedAt), lt(p.stock, threshold)))
        .orderBy(asc(p.stock), asc(p.name), asc(p.id))
        .limit(REPORT_LOW_STOCK);

      const joinedDay = database.utcDay(u.createdAt);
      const customersQuery = db
        .select({ day: joinedDay, count: sql`count(*)`.mapWith(exactNumber) })
        .from(u)
        .where(and(eq(u.role, "customer"), gte(u.createdAt, from), lt(u.createdAt, to)))
        .groupBy(joinedDay);

      const [daily, statuses, top, low, customers] = await Promise.all([
        dailyQuery,
        statusQuery,
        topQuery,
        lowQuery,
        customersQuery,
      ]);

      const days = daysOf(from, to).map((date) => {
        const rows = daily.filter((row) => row.day === date);
        return {
          day: date,
          orders: rows.reduce((sum, row) => sum + row.orders, 0),
          revenue: rows
            .filter((row) => row.counted > 0)
            .map((row) => ({ currency: row.currency, cents: row.cents }))
            .toSorted((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
        };
      });
      const countOf = new Map(statuses.map((row) => [row.status, row.count]));
      const joinedOn = new Map(customers.map((row) => [row.day, row.count]));
      return {
        from,
        to,
        days,
        byStatus: orderStatuses.map((status) => ({ status, count: countOf.get(status) ?? 0 })),
        topProducts: top,
        lowStockThreshold: threshold,
        lowStock: low,
        newCustomers: daysOf(from, to).map((date) => ({ day: date, count: joinedOn.get(date) ?? 0 })),
      };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
export type SalesReport = Awaited<ReturnType<Reports["sales"]>>;
