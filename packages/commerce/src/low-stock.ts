// When a product counts as running low, and when that is news. Staff are told once per
// crossing: the write that takes stock from at least the threshold to below it records
// `product.stock_low`; further sales below the threshold do not, and a restock above it arms
// the next crossing. PostgreSQL placement applies the same rule in SQL (migration
// 0007_place_order_events); the placement tests hold the two together.
import type { DomainEvent } from "@cartwheel/contracts";

export { DEFAULT_LOW_STOCK_THRESHOLD } from "@cartwheel/contracts/limits";

export const crossesLowStock = (before: number, after: number, threshold: number): boolean =>
  before >= threshold && after < threshold;

/** The `product.stock_low` event for a stock change, or null when it is no crossing. */
export function stockLowEvent(productId: string, before: number, after: number, threshold: number): DomainEvent | null {
  if (!crossesLowStock(before, after, threshold)) return null;
  return { type: "product.stock_low", payload: { productId, stock: after, threshold } };
}
