// Staff reports (reports.sales): a date range, `from` inclusive and `to` exclusive, of at most
// REPORT_MAX_DAYS. Either end may be left out: `to` defaults to the start of tomorrow (UTC),
// `from` to REPORT_DEFAULT_DAYS days before `to`, so the default is the last 30 UTC days,
// today included. The defaults need the clock, so the service resolves them (resolveReportRange)
// with its own `now`; the schema checks what it can without one.
import { z } from "zod";
import { REPORT_DEFAULT_DAYS, REPORT_MAX_DAYS } from "../limits.ts";
import { timestampSchema } from "./fields.ts";

export const DAY_MS = 86_400_000;

export const REPORT_RANGE_ORDER_MESSAGE = "The start of the date range must come before its end.";
export const REPORT_RANGE_TOO_LONG_MESSAGE = `A report covers at most ${REPORT_MAX_DAYS} days; choose a shorter date range.`;

/** Why a range is refused, or null when it is fine. */
export function reportRangeProblem(from: Date, to: Date): string | null {
  if (from.getTime() >= to.getTime()) return REPORT_RANGE_ORDER_MESSAGE;
  if (to.getTime() - from.getTime() > REPORT_MAX_DAYS * DAY_MS) return REPORT_RANGE_TOO_LONG_MESSAGE;
  return null;
}

export const salesReportSchema = z
  .object({
    /** Orders placed at or after (default: REPORT_DEFAULT_DAYS days before `to`). */
    from: timestampSchema.optional(),
    /** Orders placed before (default: the start of tomorrow, UTC). */
    to: timestampSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.from || !input.to) return;
    const problem = reportRangeProblem(input.from, input.to);
    if (problem)
      ctx.addIssue({
        code: "custom",
        message: problem,
        path: [problem === REPORT_RANGE_ORDER_MESSAGE ? "to" : "from"],
      });
  });
export type SalesReportInput = z.input<typeof salesReportSchema>;
export type SalesReportQuery = z.output<typeof salesReportSchema>;

/** The start of the UTC day `time` falls in. */
export const startOfUtcDay = (time: Date): Date => new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);

/**
 * The range a report covers, its defaults filled in from `now`: `to` the start of tomorrow
 * (UTC), `from` REPORT_DEFAULT_DAYS days before `to`. Check it with reportRangeProblem.
 */
export function resolveReportRange(query: SalesReportQuery, now: Date): { from: Date; to: Date } {
  const to = query.to ?? new Date(startOfUtcDay(now).getTime() + DAY_MS);
  const from =
    query.from ?? new Date(startOfUtcDay(new Date(to.getTime() - 1)).getTime() - (REPORT_DEFAULT_DAYS - 1) * DAY_MS);
  return { from, to };
}
