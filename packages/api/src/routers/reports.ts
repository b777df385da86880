// Staff reports for the dashboard and `cartwheel reports sales`. Thin: the reports service
// aggregates in SQL.
import { salesReportSchema } from "@cartwheel/contracts";
import { router, staffProcedure } from "../trpc.ts";

export const reportsRouter = router({
  /** Sales in [from, to), by UTC day (default: the last 30 days, today included); at most REPORT_MAX_DAYS days. */
  sales: staffProcedure.input(salesReportSchema).query(({ ctx, input }) => ctx.services.reports.sales(input)),
});
