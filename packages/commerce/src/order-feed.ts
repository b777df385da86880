import type { Database, OrderStatus } from "@cartwheel/db";
import { and, asc, desc, eq, gt, type SQL } from "drizzle-orm";
import { type Order, withItems } from "./order-view.ts";

/** What happened to an order: its creation, a step along the state machine, or its cancellation. */
export type OrderFeedEventType = "placed" | "status_changed" | "cancelled";

/** One committed order event with the order as it is when read (items included). */
export interface OrderFeedEvent {
  /** The event's sequence number: commit order, the stream's resumable id. */
  seq: number;
  type: OrderFeedEventType;
  orderId: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  at: Date;
  order: Order;
}

/** Narrows a read: one customer's orders, one order, events into one status. */
export interface OrderFeedFilter {
  userId?: string | undefined;
  orderId?: string | undefined;
  status?: OrderStatus | undefined;
}

export const eventType = (fromStatus: OrderStatus | null, toStatus: OrderStatus): OrderFeedEventType =>
  fromStatus === null ? "placed" : toStatus === "cancelled" ? "cancelled" : "status_changed";

/** Whether an event passes a subscriber's filter (the same test readAfter applies in SQL). */
export function matches(event: OrderFeedEvent, filter: OrderFeedFilter): boolean {
  return (
    (filter.userId === undefined || event.order.userId === filter.userId) &&
    (filter.orderId === undefined || event.orderId === filter.orderId) &&
    (filter.status === undefined || event.toStatus === filter.status)
  );
}

/**
 * Events committed after `afterSeq`, oldest first, at most `limit`. Ids follow commit order
 * (the seq trigger of each dialect), so reading `seq > n` after seeing n never skips one.
 */
export async function readOrderEvents(
  database: Database,
  afterSeq: number,
  filter: OrderFeedFilter,
  limit: number,
): Promise<OrderFeedEvent[]> {
  const { db, schema: s } = database;
  const e = s.orderEvents;
  const o = s.orders;
  const conditions: SQL[] = [gt(e.seq, afterSeq)];
  if (filter.userId !== undefined) conditions.push(eq(o.userId, filter.userId));
  if (filter.orderId !== undefined) conditions.push(eq(e.orderId, filter.orderId));
  if (filter.status !== undefined) conditions.push(eq(e.toStatus, filter.status));
  const rows = await db
    .select({ seq: e.seq, fromStatus: e.fromStatus, toStatus: e.toStatus, at: e.createdAt, order: o })
    .from(e)
    .innerJoin(o, eq(o.id, e.orderId))
    .where(and(...conditions))
    .orderBy(asc(e.seq))
    .limit(limit);
  const withTheirItems = await withItems(db, database, uniqueOrders(rows.map((row) => row.order)));
  const orders = new Map(withTheirItems.map((order) => [order.id, order]));
  return rows.map((row) => ({
    seq: row.seq,
    type: eventType(row.fromStatus, row.toStatus),
    orderId: row.order.id,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    at: row.at,
    order: orders.get(row.order.id)!,
  }));
}

/** The newest event's seq (0 when there is none): where a live stream without a position starts. */
export async function latestOrderEventSeq(database: Database): Promise<number> {
  const { db, schema: s } = database;
  const [row] = await db
    .select({ seq: s.orderEvents.seq })
    .from(s.orderEvents)
    .orderBy(desc(s.orderEvents.seq))
    .limit(1);
  return row ? row.seq : 0;
}

function uniqueOrders<T extends { id: string }>(rows: T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) seen.set(row.id, row);
  return [...seen.values()];
}
