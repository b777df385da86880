import type { RouterOutputs } from "@cartwheel/client";

/** The server's own status union, so a status added there fails the build until it has labels here. */
export type OrderStatus = RouterOutputs["orders"]["byId"]["status"];

export const statusLabels: Record<OrderStatus, string> = {
  pending: "Pending",
  paid: "Paid",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
};

export const transitionLabels: Record<OrderStatus, string> = {
  pending: "Mark pending",
  paid: "Mark paid",
  shipped: "Mark shipped",
  delivered: "Mark delivered",
  cancelled: "Cancel order",
};

/** In lifecycle order, for filters. */
export const orderStatuses = Object.keys(statusLabels) as OrderStatus[];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === "string" && (orderStatuses as string[]).includes(value);
}
