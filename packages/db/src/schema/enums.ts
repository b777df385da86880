// Value sets shared by both dialects. Stored as plain text (not native enums)
// so the SQLite and PostgreSQL schemas stay column-for-column identical.
export const roles = ["customer", "staff", "admin"] as const;
export type Role = (typeof roles)[number];

export const orderStatuses = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const stockReasons = ["order_placed", "order_cancelled", "restock", "adjustment"] as const;
export type StockReason = (typeof stockReasons)[number];
