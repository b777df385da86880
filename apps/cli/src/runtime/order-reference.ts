// How every command that names an order reads it: a full id, or the short id the web app
// shows ("Order B816D825"), in any case and with or without "#". What counts as either is
// @cartwheel/contracts' rule (parseOrderReference); this module only finds the order a short
// id belongs to, and says plainly when there is none or more than one.
import { errorCode } from "@cartwheel/client";
import {
  ORDER_REFERENCE_HINT,
  ORDER_REFERENCE_MAX_SUFFIX,
  type OrderReference,
  PAGE_SIZE_MAX,
  parseOrderReference,
  shortOrderId,
} from "@cartwheel/contracts";
import { CliError, UsageError } from "./errors.ts";

interface IdPage {
  readonly items: readonly { readonly id: string }[];
  readonly nextCursor: string | null;
}

/** The two calls a lookup may make; CartwheelClient has them, and a test can fake them. */
export interface OrderFinder {
  readonly orders: {
    readonly list: { query(input: { reference: string; limit: number }): Promise<IdPage> };
    readonly mine: { query(input: { limit: number; cursor?: string }): Promise<IdPage> };
  };
}

/** Two answers tell "exactly one" from "several" without loading every match. */
const CANDIDATES = 2;

/** Checks the text before anything is sent, so a typo is a usage error (exit 2), not a lookup. */
export function readOrderReference(text: string, name = "ORDER"): OrderReference {
  const reference = parseOrderReference(text);
  if (!reference) throw new UsageError(`${name} must be ${ORDER_REFERENCE_HINT} (got "${text}")`);
  return reference;
}

/** The full id `reference` names: itself, or the one order whose id ends in the short id. */
export async function resolveOrderId(client: OrderFinder, reference: OrderReference): Promise<string> {
  if (reference.kind === "id") return reference.id;
  const shown = reference.suffix.toUpperCase();
  const { ids, more } = await ordersEndingIn(client, reference.suffix);
  const [only] = ids;
  if (only === undefined) throw new CliError(`No order ends in ${shown}.`);
  if (ids.length === 1) return only;
  const named = ids.map((id) => `${shortOrderId(id)} (${id})`).join(", ");
  throw new CliError(
    `${shown} is ambiguous: it matches orders ${named}${more ? " and more" : ""}; ` +
      `give more digits (up to ${ORDER_REFERENCE_MAX_SUFFIX}) or the full id.`,
  );
}

/**
 * Staff search every order on the server. A customer may not (orders.list answers
 * FORBIDDEN), yet the short id they see on their own order page should work too: their
 * own orders are few, so their pages are read and matched here instead.
 */
async function ordersEndingIn(client: OrderFinder, suffix: string): Promise<{ ids: string[]; more: boolean }> {
  try {
    const page = await client.orders.list.query({ reference: suffix, limit: CANDIDATES });
    return { ids: page.items.map((order) => order.id), more: page.nextCursor !== null };
  } catch (error) {
    if (errorCode(error) !== "FORBIDDEN") throw error;
  }
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: IdPage = await client.orders.mine.query({ limit: PAGE_SIZE_MAX, ...(cursor && { cursor }) });
    // Ids arrive in their canonical lowercase form, as parseOrderReference gives the suffix.
    ids.push(...page.items.map((order) => order.id).filter((id) => id.endsWith(suffix)));
    cursor = page.nextCursor;
  } while (cursor !== null && ids.length <= CANDIDATES);
  return { ids: ids.slice(0, CANDIDATES), more: ids.length > CANDIDATES };
}
