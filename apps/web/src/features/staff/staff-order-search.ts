import { EMAIL_MAX_LENGTH } from "@cartwheel/contracts/limits";
import { isOrderStatus, type OrderStatus } from "../orders/order-status.ts";

/** Staff's order search as it lives in the URL: what was typed, checked by the server. */
export interface StaffOrderSearch {
  /** An order id or short id, as typed. */
  ref?: string;
  email?: string;
  status?: OrderStatus;
  /** Calendar days (YYYY-MM-DD) in the browser's time zone, both included. */
  from?: string;
  to?: string;
}

/** Longer than any order reference (a UUID with a "#" or "Order "), so an over-long one still reaches the server's message. */
const REFERENCE_MAX_LENGTH = 64;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A search value from the URL. The router parses values as JSON, so a short id of digits only
 * ("12345678") arrives as a number; in-app links quote it, and a hand-typed one is taken back
 * as text (leading zeros are lost, and the server then says why the id does not fit).
 */
function text(value: unknown, max: number): string | undefined {
  const raw = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof raw !== "string") return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed.slice(0, max);
}

/** The local midnight that starts a YYYY-MM-DD day, or null for anything else (2026-02-30 too). */
function startOfDay(day: string, plusDays = 0): Date | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const start = new Date(year, month, date);
  if (start.getFullYear() !== year || start.getMonth() !== month || start.getDate() !== date) return null;
  start.setDate(start.getDate() + plusDays);
  return start;
}

/** Validates untrusted URL search params; unknown or malformed values are dropped. */
export function parseStaffOrderSearch(raw: Record<string, unknown>): StaffOrderSearch {
  const search: StaffOrderSearch = {};
  const ref = text(raw.ref, REFERENCE_MAX_LENGTH);
  if (ref) search.ref = ref;
  const email = text(raw.email, EMAIL_MAX_LENGTH);
  if (email) search.email = email;
  if (isOrderStatus(raw.status)) search.status = raw.status;
  for (const key of ["from", "to"] as const) {
    const day = text(raw[key], 10);
    if (day && startOfDay(day)) search[key] = day;
  }
  return search;
}

/**
 * The orders.list filters for a search: the days become instants with an offset (local
 * midnight, sent in UTC), and "to" includes its whole day, so it ends at the next midnight.
 */
export function toOrderListInput(search: StaffOrderSearch) {
  const from = search.from ? startOfDay(search.from) : null;
  const before = search.to ? startOfDay(search.to, 1) : null;
  return {
    limit: 50,
    ...(search.ref && { reference: search.ref }),
    ...(search.email && { email: search.email }),
    ...(search.status && { status: search.status }),
    ...(from && { placedFrom: from.toISOString() }),
    ...(before && { placedBefore: before.toISOString() }),
  };
}

/** Which search field shows a message the server keyed by its input name. */
export const searchFieldOf: Record<string, keyof StaffOrderSearch> = {
  reference: "ref",
  email: "email",
  status: "status",
  placedFrom: "from",
  placedBefore: "to",
};
