// How people name an order. Ids are UUIDv7: the leading digits are the creation time, so two
// orders placed within about a minute share their first 8 hex digits. The trailing digits
// are random, so the short id people see, type and read out on the phone is the last 8
// (docs/decisions/020-short-order-ids-from-the-random-end.md).

export const SHORT_ORDER_ID_LENGTH = 8;
/** The last group of a UUID: a short id can be extended up to it and stay one run of digits. */
export const ORDER_REFERENCE_MAX_SUFFIX = 12;

/** "Order B816D825": the id's last 8 hex digits, in capitals. */
export function shortOrderId(id: string): string {
  return id.slice(-SHORT_ORDER_ID_LENGTH).toUpperCase();
}

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUFFIX = new RegExp(`^[0-9a-f]{${SHORT_ORDER_ID_LENGTH},${ORDER_REFERENCE_MAX_SUFFIX}}$`);

export type OrderReference = { kind: "id"; id: string } | { kind: "suffix"; suffix: string };

export const ORDER_REFERENCE_HINT = `an order id, or its last ${SHORT_ORDER_ID_LENGTH} to ${ORDER_REFERENCE_MAX_SUFFIX} hex digits as shown ("Order B816D825")`;

/**
 * Reads what someone typed for an order: a full id, or the short id with or without a
 * leading "#" or "Order", in either case. Null when it is neither.
 */
export function parseOrderReference(text: string): OrderReference | null {
  const value = text
    .trim()
    .replace(/^order\s+/i, "")
    .replace(/^#/, "")
    .toLowerCase();
  if (FULL_ID.test(value)) return { kind: "id", id: value };
  if (SUFFIX.test(value)) return { kind: "suffix", suffix: value };
  return null;
}
