import type { Database, Db, OrderStatus, Role, Schema } from "@cartwheel/db";
import { asc, inArray } from "drizzle-orm";
import { shipmentOf } from "./shipping.ts";

type OrderRow = Schema["orders"]["$inferSelect"];

export interface OrderItem {
  productId: string;
  /** The product's name when the order was placed. */
  productName: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

/** An order as the API returns it. */
export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  totalCents: number;
  currency: string;
  items: OrderItem[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** Whether the order has somewhere to go; the address itself is in the detail only. */
  hasShippingAddress: boolean;
  /** Inline rather than `Shipment`, so the client's generated contract prints its fields. */
  shipment: { carrier: string; trackingNumber: string } | null;
}

/** The line of an order as sold: its quantity at the locked row's name and price. */
export const orderItem = (line: {
  productId: string;
  quantity: number;
  name: string;
  priceCents: number;
}): OrderItem => ({
  productId: line.productId,
  productName: line.name,
  quantity: line.quantity,
  unitPriceCents: line.priceCents,
  lineTotalCents: line.quantity * line.priceCents,
});

export interface OrderEvent {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actorId: string | null;
  /** Who did it, for staff: null for the shop itself (expiry) or an erased account. */
  actor: { name: string; email: string; role: Role } | null;
  createdAt: Date;
}

/** Who placed the order, as staff see it. */
export interface Customer {
  id: string;
  name: string;
  /** Empty once the customer's account was erased. */
  email: string;
  /** The customer asked to be forgotten (or an admin did it for them); the name reads so. */
  erased: boolean;
}

export interface OrderDetail extends Order {
  /** Status history, oldest first, starting with the creation (null → pending). */
  events: OrderEvent[];
  // Spelled out: the client's generated contract prints a named type inside `| null` by its
  // name, which it cannot import (packages/client/scripts/contract-source.ts).
  shippingAddress: {
    name: string;
    line1: string;
    line2: string;
    city: string;
    region: string;
    postalCode: string;
    country: string;
    phone: string;
  } | null;
  customer: Customer;
  allowedTransitions: OrderStatus[];
}

export function toOrder(row: OrderRow, items: OrderItem[]): Order {
  return {
    id: row.id,
    userId: row.userId,
    status: row.status,
    totalCents: row.totalCents,
    currency: row.currency,
    items,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    hasShippingAddress: row.shippingAddress !== null,
    shipment: shipmentOf(row),
  };
}

export async function loadItems(db: Db, database: Database, orderIds: string[]): Promise<Map<string, OrderItem[]>> {
  const byOrder = new Map<string, OrderItem[]>(orderIds.map((id) => [id, []]));
  if (orderIds.length === 0) return byOrder;
  const t = database.schema.orderItems;
  const rows = await db.select().from(t).where(inArray(t.orderId, orderIds)).orderBy(asc(t.orderId), asc(t.productId));
  for (const row of rows) {
    byOrder.get(row.orderId)?.push({
      productId: row.productId,
      productName: row.productName,
      quantity: row.quantity,
      unitPriceCents: row.unitPriceCents,
      lineTotalCents: row.quantity * row.unitPriceCents,
    });
  }
  return byOrder;
}

export async function withItems(db: Db, database: Database, rows: OrderRow[]): Promise<Order[]> {
  const items = await loadItems(
    db,
    database,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toOrder(row, items.get(row.id) ?? []));
}
