// The SQL pgbench runs as the orders.place peers. pgbench is PostgreSQL's own C client: what
// it reaches with the server's statements is the database's limit for this work, with no
// Node, HTTP or ORM in the way. Each function renders one pgbench script (`-f`, `-M prepared`:
// every `:variable` is a bound parameter, like the server's prepared statements).
import { placementSql } from "@cartwheel/db";

export interface PlacementScriptOptions {
  /** SQL for the product's id: a quoted literal, or `:product_id` after a `\gset` lookup. */
  productIdExpr: string;
  /** SQL for the customer's id (orders.user_id and the actor columns). */
  userIdExpr: string;
  /** Record the outbox events (order.created, product.stock_low) as the server does; default true. */
  events?: boolean;
}

/**
 * The statement the server runs for a one-line order on PostgreSQL (`placementSql` from
 * @cartwheel/db, one autocommit statement: decrement, order, item, ledger row and event),
 * rendered with pgbench's values for its positional parameters. The server makes ids and
 * the request fingerprint in Node and binds them; here the database makes them, which costs
 * it no more than parameters.
 */
export function placementPgbenchScript({ productIdExpr, userIdExpr, events = true }: PlacementScriptOptions): string {
  const values = [
    `ARRAY[${productIdExpr}]`, // $1 product ids
    "ARRAY[1]", // $2 quantities
    "ARRAY[gen_random_uuid()]", // $3 order item ids
    "ARRAY[gen_random_uuid()]", // $4 stock movement ids
    "gen_random_uuid()", // $5 order id
    userIdExpr, // $6 user id
    "md5(random()::text)", // $7 idempotency key
    "md5(random()::text)", // $8 request hash
    "gen_random_uuid()", // $9 order event id
    "now()", // $10 placement time
    events ? "gen_random_uuid()" : "null", // $11 order.created outbox id: null records no events
    "null", // $12 trace context
    "5", // $13 low-stock threshold
    "null", // $14 sealed shipping address: the bench's orders carry none, like its wrk requests
  ];
  // Each $n appears once, in order (see placementSql's comment); replace from the last down so
  // $1 does not match the start of $10.
  let statement = placementSql;
  for (let n = values.length; n >= 1; n--) statement = statement.replace(`$${n}`, values[n - 1]!);
  if (/\$\d/.test(statement)) throw new Error("placementSql has more parameters than the pgbench script fills");
  // pgbench reads one statement per line unless it ends in `;`: fold the statement onto one line.
  return `${statement.replace(/\s+/g, " ").trim()};\n`;
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
