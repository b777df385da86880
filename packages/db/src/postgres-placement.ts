// Order placement as one PostgreSQL statement, run in autocommit: the hot product row is
// locked only while that one statement runs, instead of across a transaction's round trips
// (decrement, order, items, ledger, event, outbox, COMMIT). See docs/decisions/011-one-statement-placement.md.
// The statement is the body of the `place_order` function (migration 0004_place_order_function),
// so PL/pgSQL plans it once per connection instead of on every order.
//
// READ COMMITTED, step by step:
// - `locked` takes the row locks in product-id order (the sort runs below the row locking),
//   so overlapping multi-line orders cannot deadlock. A row changed by a transaction that
//   committed after this statement's snapshot is waited for and re-read: `locked` holds
//   the latest version, and nobody else can change it until this statement commits.
// - `verdict` judges every line on those locked versions: all products present and not
//   archived, enough stock, one currency, a total that fits the int4 column.
// - `decremented` updates only when the verdict holds, and then every line, setting stock from
//   the locked version (`locked.stock - quantity`), not from its own scan's row: that scan reads
//   the snapshot's version, and PostgreSQL checks CHECK constraints on the new row before it
//   finds a newer version and re-reads it (so `products.stock - quantity` from a snapshot that
//   had less stock would fail products_stock_range although the locked row has enough). Nobody
//   else can change a locked row, so the locked values are the latest ones.
// - The order, its items, ledger rows and first event are inserted from `decremented`'s
//   RETURNING (prices from the locked rows). Nothing satisfiable means no rows there, so nothing
//   is inserted and the statement returns no rows. A second order with the same
//   (user, idempotency key) fails the whole statement on the unique index, decrement included.
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Db } from "./database.ts";

/**
 * The call of the placement function with positional parameters, each used exactly once, in order
 * (a benchmark can render it as a pgbench script by naming them):
 * - $1 product ids (uuid[]), merged and sorted; $2 quantities (int4[]), same order
 * - $3 order item ids (uuid[]), $4 stock movement ids (uuid[]), one per line, same order
 * - $5 order id (uuid), $6 user id (uuid), $7 idempotency key (text), $8 request hash (text)
 * - $9 order event id (uuid), $10 placement time (timestamptz, an ISO 8601 string)
 * - $11 the outbox id of the `order.created` event (uuid; null records no events), $12 the
 *   trace context stored with the events (text or null), $13 the low-stock threshold (int4)
 * - $14 the sealed shipping address (text or null)
 * Returns one row per line (product_id, name, price_cents, currency) when the order was
 * placed, and no rows when any line could not be met (then nothing was written).
 */
export const placementSql = `select product_id, name, price_cents, currency from place_order(
  $1::uuid[], $2::int4[], $3::uuid[], $4::uuid[], $5::uuid, $6::uuid, $7::text, $8::text, $9::uuid, $10::timestamptz,
  $11::uuid, $12::text, $13::int4, $14::text
) order by product_id`;

export interface PlacementLine {
  productId: string;
  quantity: number;
  orderItemId: string;
  stockMovementId: string;
}

export interface PlacementRequest {
  orderId: string;
  userId: string;
  idempotencyKey: string;
  requestHash: string;
  orderEventId: string;
  at: Date;
  /** Domain events to record with the order (migration 0007_place_order_events); none when absent. */
  events?: PlacementEvents | undefined;
  /** One per product, sorted by product id. */
  lines: readonly PlacementLine[];
  /** The sealed shipping address stored on the order, or null. */
  shippingAddress: string | null;
}

export interface PlacementEvents {
  /** The outbox id of the order's `order.created` event. */
  createdEventId: string;
  traceContext: string | null;
  /** A line whose stock falls from at least this to below it records `product.stock_low`. */
  lowStockThreshold: number;
}

/** What a placed line was sold at: the locked row's name, price and currency. */
export interface PlacedLine {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
}

/**
 * Places an order in one statement: every line decremented and the order, items, ledger rows
 * and first event inserted, or nothing at all (null: some line could not be met; the caller
 * finds out which). A reused (user, idempotency key) rejects with the unique violation.
 * Runs in autocommit, or inside the `database.transaction` open in the caller's context.
 */
export type PlaceOrderInOneStatement = (request: PlacementRequest) => Promise<PlacedLine[] | null>;

const PARAMETER = /\$\d+/g;

/** `placementSql` as drizzle SQL with `values` bound in order (each $n appears once, in order). */
function bound(values: readonly unknown[]): SQL {
  const texts = placementSql.split(PARAMETER);
  return sql.join(
    texts.flatMap((text, i) => (i < values.length ? [sql.raw(text), sql.param(values[i])] : [sql.raw(text)])),
  );
}

/** Array parameters as literals rather than driver-encoded arrays: node-postgres and PGlite read them alike. */
const arrayLiteral = (values: readonly (string | number)[]) => `{${values.join(",")}}`;

interface PlacedRow {
  product_id: string;
  name: string;
  price_cents: number;
  currency: string;
}

/** Runs the placement statement on `db` (the primary, or the open transaction's handle). */
export async function placeOrderOn(db: Db, request: PlacementRequest): Promise<PlacedLine[] | null> {
  const { lines } = request;
  const query = bound([
    arrayLiteral(lines.map((line) => line.productId)),
    arrayLiteral(lines.map((line) => line.quantity)),
    arrayLiteral(lines.map((line) => line.orderItemId)),
    arrayLiteral(lines.map((line) => line.stockMovementId)),
    request.orderId,
    request.userId,
    request.idempotencyKey,
    request.requestHash,
    request.orderEventId,
    request.at.toISOString(),
    request.events?.createdEventId ?? null,
    request.events?.traceContext ?? null,
    request.events?.lowStockThreshold ?? null,
    request.shippingAddress,
  ]);
  // `execute` runs through the guarded session: errors are sanitised and the write is counted.
  const result = await (db as unknown as PgDatabase<PgQueryResultHKT>).execute(query);
  const { rows } = result as { rows: PlacedRow[] };
  if (rows.length === 0) return null;
  return rows.map((row) => ({
    productId: row.product_id,
    name: row.name,
    priceCents: row.price_cents,
    currency: row.currency,
  }));
}
