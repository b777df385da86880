import type { OrderStatus } from "@cartwheel/db";

/** The order lifecycle. Nothing leaves `delivered` or `cancelled`. */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["paid", "cancelled"],
  paid: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

/** Customers may only cancel, and only before payment; staff follow the full machine. */
export function allowedTransitions(from: OrderStatus, staff: boolean): readonly OrderStatus[] {
  if (staff) return orderTransitions[from];
  return from === "pending" ? ["cancelled"] : [];
}
