// The closed value sets of the API. Both database dialects store them as plain text with
// these members, the input schemas accept exactly them, and clients offer them as choices.

export const roles = ["customer", "staff", "admin"] as const;
export type Role = (typeof roles)[number];

/** Roles in order of privilege: each includes what the ones before it may do. */
const roleRank: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

/** Whether `role` may do what `minimum` may. */
export const hasRole = (role: Role, minimum: Role): boolean => roleRank[role] >= roleRank[minimum];

/** The less privileged of two roles. */
export const lowerRole = (a: Role, b: Role): Role => (roleRank[a] <= roleRank[b] ? a : b);

/** Staff and above see archived products and every order. */
export const staffRoles: readonly Role[] = roles.filter((role) => hasRole(role, "staff"));
export const isStaffRole = (role: string | undefined): boolean =>
  (staffRoles as readonly string[]).includes(role ?? "");

export const orderStatuses = ["pending", "paid", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const stockReasons = ["order_placed", "order_cancelled", "restock", "adjustment"] as const;
export type StockReason = (typeof stockReasons)[number];
/** The stock reasons staff may give by hand; the others belong to the order flow. */
export const manualStockReasons = ["restock", "adjustment"] as const satisfies readonly StockReason[];
export type ManualStockReason = (typeof manualStockReasons)[number];

/** A webhook delivery waits for (another) attempt, got a 2xx, or used up its attempts. */
export const webhookDeliveryOutcomes = ["pending", "delivered", "dead"] as const;
export type WebhookDeliveryOutcome = (typeof webhookDeliveryOutcomes)[number];

export const productSorts = ["newest", "price_asc", "price_desc", "name"] as const;
export type ProductSort = (typeof productSorts)[number];

/** How sign-in hands over the refresh token: an HttpOnly cookie (browsers) or the body. */
export const authTransports = ["cookie", "token"] as const;
export type AuthTransport = (typeof authTransports)[number];

/** What a single-use account token (packages/auth account-tokens.ts) is good for. */
export const accountTokenPurposes = ["password_reset", "email_verification"] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/**
 * The states a background job moves through, as both job engines name them (pg-boss's own set):
 * `failed` is the dead letter, a job that used up its retries and waits for an admin's redrive.
 */
export const jobStates = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof jobStates)[number];
