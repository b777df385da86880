// `orders list` options → the filters of orders.list. Every value is checked against the
// API's own schema (listOrdersSchema) before anything is sent, so a bad email or an empty
// date range is a usage error naming the option, in the words the server would use.
import type { RouterInputs } from "@cartwheel/client";
import { listOrdersSchema, orderStatuses, timestampSchema } from "@cartwheel/contracts";
import { z } from "zod";
import { parseChoice } from "../runtime/args.ts";
import { UsageError } from "../runtime/errors.ts";
import { readOrderReference } from "../runtime/order-reference.ts";

export type OrderFilters = Omit<RouterInputs["orders"]["list"], "cursor" | "limit">;

export interface FilterOptions {
  ref?: string;
  email?: string;
  status?: string;
  user?: string;
  from?: string;
  to?: string;
}

/**
 * Which option each filter comes from, to name it in a refusal. Malformed dates never get
 * this far (parseInstant), so what the schema says of placedBefore is the range's order.
 */
const OPTION_OF: Record<keyof OrderFilters, string> = {
  reference: "--ref",
  email: "--email",
  status: "--status",
  userId: "--user",
  placedFrom: "--from",
  placedBefore: "--from/--to",
};

const isDate = (text: string) => z.iso.date().safeParse(text).success;

/**
 * `2026-12-01` is that day's midnight UTC; anything else must be a full ISO 8601 timestamp
 * with an offset (`Z` or `+01:00`), as the API takes it, so no local time zone is guessed.
 */
export function parseInstant(value: string, name: string): string {
  const text = value.trim();
  const instant = isDate(text) ? `${text}T00:00:00.000Z` : text;
  if (timestampSchema.safeParse(instant).success) return instant;
  throw new UsageError(
    `${name} must be a date such as 2026-12-01 or a timestamp with an offset such as 2026-12-01T09:30:00+01:00 (got "${value}")`,
  );
}

export function parseOrderFilters(options: FilterOptions): OrderFilters {
  // The reference gets the message every order argument gets; the server reads the text itself.
  if (options.ref !== undefined) readOrderReference(options.ref, "--ref");
  const filters: OrderFilters = {
    ...(options.ref !== undefined && { reference: options.ref }),
    ...(options.email !== undefined && { email: options.email }),
    ...(options.status !== undefined && { status: parseChoice(options.status, "--status", orderStatuses) }),
    ...(options.user !== undefined && { userId: options.user }),
    ...(options.from !== undefined && { placedFrom: parseInstant(options.from, "--from") }),
    ...(options.to !== undefined && { placedBefore: parseInstant(options.to, "--to") }),
  };
  const checked = listOrdersSchema.safeParse(filters);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    const option = OPTION_OF[issue?.path[0] as keyof OrderFilters] ?? "a filter";
    throw new UsageError(`${option}: ${issue?.message ?? "not accepted"}`);
  }
  return filters;
}
