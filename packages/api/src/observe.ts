import type { Metrics } from "@cartwheel/observability";
import type { Context } from "./context.ts";

export interface ProcedureOutcome {
  path: string;
  type: string;
  /** "ok" or the tRPC error code the client receives. */
  outcome: string;
  durationMs: number;
  /** The procedure's result when it succeeded. */
  data?: unknown;
}

// Idempotent replays of orders.place return the same order; count each order once. The ids of
// the last 5,000 to 10,000 orders are remembered in two generations: evicting the oldest entry
// of one Set one at a time made every lookup of its first entry walk past the deleted ones.
const COUNTED_ORDERS_PER_GENERATION = 5_000;
let countedOrders = new Set<string>();
let previouslyCounted = new Set<string>();

function countOrder(metrics: Metrics, order: unknown): void {
  if (typeof order !== "object" || order === null) return;
  const { id, totalCents, currency } = order as { id?: unknown; totalCents?: unknown; currency?: unknown };
  if (typeof id !== "string" || countedOrders.has(id) || previouslyCounted.has(id)) return;
  if (countedOrders.size >= COUNTED_ORDERS_PER_GENERATION) {
    previouslyCounted = countedOrders;
    countedOrders = new Set();
  }
  countedOrders.add(id);
  metrics.ordersPlaced.inc();
  if (typeof totalCents === "number" && typeof currency === "string") {
    metrics.revenueCents.inc({ currency }, totalCents);
  }
}

/**
 * Business counters are derived from successful procedure results here, so the domain
 * services stay free of metrics code.
 */
function countBusinessEvent(metrics: Metrics, path: string, data: unknown): void {
  if (path === "auth.register") metrics.signups.inc();
  else if (path === "auth.login") metrics.logins.inc();
  else if (path === "orders.place") countOrder(metrics, data);
}

/** Records one finished procedure call: latency histogram, business counters, a debug line. */
export function recordProcedure(ctx: Context, call: ProcedureOutcome): void {
  const metrics = ctx.services.metrics;
  if (metrics) {
    metrics.procedureDuration.observe(
      { procedure: call.path, type: call.type, outcome: call.outcome },
      call.durationMs / 1000,
    );
    if (call.outcome === "ok") countBusinessEvent(metrics, call.path, call.data);
  }
  ctx.logger.debug(
    { procedure: call.path, type: call.type, outcome: call.outcome, durationMs: Math.round(call.durationMs * 10) / 10 },
    "procedure finished",
  );
}
