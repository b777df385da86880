import type { Row } from "./context.ts";

export interface Budget {
  metric: string;
  label: string;
  min?: number;
  max?: number;
}

export interface Verdict extends Budget {
  measured: number | undefined;
  /** undefined when the metric was not measured in this run. */
  ok: boolean | undefined;
}

export function judge(budgets: readonly Budget[], metrics: Record<string, number>): Verdict[] {
  return budgets.map((budget) => {
    const measured = metrics[budget.metric];
    if (measured === undefined) return { ...budget, measured, ok: undefined };
    // Strict for upper limits ("under 1 s"), inclusive for lower ones ("at least 0.70×").
    const ok =
      (budget.min === undefined || measured >= budget.min) && (budget.max === undefined || measured < budget.max);
    return { ...budget, measured, ok };
  });
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined ? "" : value.toFixed(digits));
const mb = (bytes: number | undefined) => (bytes ? (bytes / 1024 / 1024).toFixed(0) : "");

function formatValue(value: number | undefined, unit: string | undefined): string {
  if (value === undefined) return "";
  if (unit === "B") return `${value} B (${(value / 1024).toFixed(1)} KB)`;
  return `${value.toFixed(unit === "ms" ? 1 : 2)} ${unit ?? ""}`.trim();
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| scenario | subject | req/s | p50 ms | p99 ms | peak RSS MB | full ÷ peer | value | note |",
    "|---|---|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.scenario} | ${row.subject} | ${fixed(row.rps)} | ${fixed(row.p50Ms, 1)} | ${fixed(row.p99Ms, 1)} | ${mb(row.peakRssBytes)} | ${row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}×`} | ${formatValue(row.value, row.unit)} | ${row.note ?? ""} |`,
    );
  }
  return lines.join("\n");
}

export function budgetTable(verdicts: readonly Verdict[]): string {
  const lines = ["| budget | measured | limit | status |", "|---|--:|--:|---|"];
  for (const verdict of verdicts) {
    const limit = verdict.min !== undefined ? `≥ ${verdict.min}` : `< ${verdict.max}`;
    const status = verdict.ok === undefined ? "not measured" : verdict.ok ? "pass" : "**MISSED**";
    const measured =
      verdict.measured === undefined
        ? ""
        : Number.isInteger(verdict.measured)
          ? String(verdict.measured)
          : verdict.measured.toFixed(2);
    lines.push(`| ${verdict.label} | ${measured} | ${limit} | ${status} |`);
  }
  return lines.join("\n");
}
