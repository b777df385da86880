// The SQL pgbench runs as the orders.place peers. pgbench is PostgreSQL's own C client: what
// it reaches with the server's statements is the database's limit for this work, with no
// Node, HTTP or ORM in the way. Each function renders one pgbench script (`-f`, `-M prepared`:
// every `:variable` is a bound parameter, like the server's prepared statements).

export interface PlacementScriptOptions {
  /** SQL for the product's id: a quoted literal, or `:product_id` after a `\gset` lookup. */
  productIdExpr: string;
  /** SQL for the customer's id (orders.user_id and the actor columns). */
  userIdExpr: string;
}

/**
 * The statements the server runs for a one-line order (packages/commerce/src/order-placement.ts):
 * the conditional decrement RETURNING what the order needs, then the order row (which claims
 * the idempotency key), its item, the ledger movement and the status event, in one transaction.
 * The server makes ids and the request fingerprint in Node; here the decrement returns a new
 * order id and the database makes the rest, which costs the database no more than parameters.
 */
export function placementPgbenchScript({ productIdExpr, userIdExpr }: PlacementScriptOptions): string {
  return `BEGIN;
UPDATE products SET stock = stock - 1, updated_at = now()
  WHERE id = ${productIdExpr} AND stock >= 1 AND archived_at IS NULL
  RETURNING name, price_cents, currency, gen_random_uuid() AS order_id \\gset
INSERT INTO orders (id, user_id, status, total_cents, currency, idempotency_key, request_hash, version, created_at, updated_at)
  VALUES (:order_id, ${userIdExpr}, 'pending', :price_cents, :currency, md5(random()::text), md5(random()::text), 1, now(), now());
INSERT INTO order_items (id, order_id, product_id, product_name, quantity, unit_price_cents)
  VALUES (gen_random_uuid(), :order_id, ${productIdExpr}, :name, 1, :price_cents);
INSERT INTO stock_movements (id, product_id, delta, reason, order_id, actor_id, note, created_at)
  VALUES (gen_random_uuid(), ${productIdExpr}, -1, 'order_placed', :order_id, ${userIdExpr}, NULL, now());
INSERT INTO order_events (id, order_id, from_status, to_status, actor_id, created_at)
  VALUES (gen_random_uuid(), :order_id, NULL, 'pending', ${userIdExpr}, now());
COMMIT;
`;
}

/** The least a placement can do: one statement, one row, autocommit. */
export function singleStatementDecrementScript(productIdExpr: string): string {
  return `UPDATE products SET stock = stock - 1 WHERE id = ${productIdExpr} AND stock >= 1;\n`;
}

/** The table the spread scenario's pgbench script draws products from (see fixture.ts). */
export const SPREAD_LOOKUP_TABLE = "bench_spread_products";

/**
 * A product picked at random for each transaction: the one statement pgbench runs beyond the
 * server's (a primary-key read of the lookup table, outside the transaction), then the placement.
 */
export function spreadPlacementPgbenchScript(products: number, userIdExpr: string): string {
  return `\\set n random(1, ${products})
SELECT id AS product_id FROM ${SPREAD_LOOKUP_TABLE} WHERE n = :n \\gset
${placementPgbenchScript({ productIdExpr: ":product_id", userIdExpr })}`;
}

/** A string as a SQL literal (ids only: they never contain quotes, but quote them right anyway). */
export const sqlLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;
