// `cartwheel reports sales`: staff's sales report (reports.sales) as tables, or the API's
// answer as JSON. Dates are read as `orders list` reads them (parseInstant).
import type { RouterInputs, RouterOutputs } from "@cartwheel/client";
import { salesReportSchema } from "@cartwheel/contracts";
import type { Command } from "commander";
import { connect } from "../runtime/connect.ts";
import { UsageError } from "../runtime/errors.ts";
import { type Column, formatDate, formatMoney, paint, writeJson, writeLine, writeTable } from "../runtime/output.ts";
import { parseInstant } from "./order-filters.ts";

type SalesReport = RouterOutputs["reports"]["sales"];

interface SalesOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

/** Refused here, in the server's words, before anything is sent. */
export function parseSalesRange(options: SalesOptions): RouterInputs["reports"]["sales"] {
  const range = {
    ...(options.from !== undefined && { from: parseInstant(options.from, "--from") }),
    ...(options.to !== undefined && { to: parseInstant(options.to, "--to") }),
  };
  const checked = salesReportSchema.safeParse(range);
  if (!checked.success) throw new UsageError(`--from/--to: ${checked.error.issues[0]?.message ?? "not accepted"}`);
  return range;
}

const revenueText = (revenue: SalesReport["days"][number]["revenue"]) =>
  revenue.length === 0 ? "-" : revenue.map((entry) => formatMoney(entry.cents, entry.currency)).join(", ");

const heading = (text: string, first = false) => {
  if (!first) writeLine();
  writeLine(paint(process.stdout, "bold", text));
};

export async function sales(command: Command): Promise<void> {
  const options = command.opts<SalesOptions>();
  const range = parseSalesRange(options);
  const { client } = connect();
  const report = await client.reports.sales.query(range);
  if (options.json) return writeJson(report);

  heading(`Sales ${formatDate(report.from)} to ${formatDate(report.to)} (UTC days, end exclusive)`, true);
  const dayColumns: readonly Column<SalesReport["days"][number]>[] = [
    { header: "DAY", value: (d) => d.day },
    { header: "ORDERS", value: (d) => String(d.orders), align: "right" },
    { header: "REVENUE", value: (d) => revenueText(d.revenue) },
  ];
  writeTable(report.days, dayColumns, "No days.");
  const totals = new Map<string, number>();
  for (const day of report.days)
    for (const entry of day.revenue) totals.set(entry.currency, (totals.get(entry.currency) ?? 0) + entry.cents);
  writeLine(
    `Total: ${report.days.reduce((sum, d) => sum + d.orders, 0)} orders, revenue ${revenueText(
      [...totals].map(([currency, cents]) => ({ currency, cents })),
    )} (paid, shipped and delivered orders)`,
  );

  heading("Orders by status");
  writeTable(report.byStatus, [
    { header: "STATUS", value: (s) => s.status },
    { header: "COUNT", value: (s) => String(s.count), align: "right" },
  ]);

  heading("Top products by revenue");
  writeTable(
    report.topProducts,
    [
      { header: "PRODUCT", value: (p) => p.name },
      { header: "SOLD", value: (p) => String(p.quantity), align: "right" },
      { header: "REVENUE", value: (p) => formatMoney(p.revenueCents, p.currency), align: "right" },
      { header: "ID", value: (p) => p.productId },
    ],
    "No sales.",
  );

  heading(`Low stock (below ${report.lowStockThreshold})`);
  writeTable(
    report.lowStock,
    [
      { header: "PRODUCT", value: (p) => p.name },
      { header: "SLUG", value: (p) => p.slug },
      { header: "STOCK", value: (p) => String(p.stock), align: "right" },
    ],
    "No product is low on stock.",
  );

  heading("New customers");
  writeTable(report.newCustomers, [
    { header: "DAY", value: (d) => d.day },
    { header: "CUSTOMERS", value: (d) => String(d.count), align: "right" },
  ]);
}
