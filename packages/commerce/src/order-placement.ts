// Race-free order placement. Stock only ever goes down through a conditional UPDATE
// (`stock = stock - n WHERE stock >= n`), rows are locked in product-id order so
// multi-line orders cannot deadlock, and prices come from the rows that UPDATE locked.
// The order row is inserted after the decrements, in the same transaction: the
// (user, idempotency key) unique index then makes a second identical request fail and
// roll its decrements back, after which it replays the first request's order.
//
// Hot path: five statements per single-line order (decrement, order, items, ledger, event),
// each prepared once (see `database.prepared`), and the answer is built from what was
// written rather than read back.
import { createHash } from "node:crypto";
import { type Database, type Db, isUniqueViolation, newId, placeholder, type PreparedQuery } from "@cartwheel/db";
import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";
import { DomainError, MAX_INT4, type PlaceOrderInput, placeOrderSchema, type Shortage } from "@cartwheel/contracts";
import { CurrencyMismatchError, InsufficientStockError, NotFoundError } from "./errors.ts";
import { type Order, type OrderItem, toOrder, withItems } from "./order-view.ts";

/** The order total is a 32-bit integer column. */
const MAX_TOTAL_CENTS = MAX_INT4;

interface Line {
  productId: string;
  quantity: number;
}

/** Duplicate product lines merged, sorted by product id: the lock order. */
function mergeLines(items: readonly Line[]): Line[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .toSorted((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Fingerprint of what was asked for, so a reused key with another payload is caught. */
const requestFingerprint = (lines: readonly Line[]) =>
  createHash("sha256")
    .update(JSON.stringify(lines.map((line) => [line.productId, line.quantity])))
    .digest("hex");

type Locked = { name: string; priceCents: number; currency: string };

/** The statements of one placement, prepared once per database (multi-row inserts per line count). */
export type PlacementStatements = ReturnType<typeof preparePlacement>;

export function preparePlacement(database: Database) {
  const { products: p, orders: o, orderItems, orderEvents, stockMovements } = database.schema;
  const decrement = database.prepared((db) =>
    db
      .update(p)
      .set({ stock: sql`${p.stock} - ${placeholder(p.stock, "quantity")}`, updatedAt: placeholder(p.updatedAt, "at") })
      .where(
        and(eq(p.id, sql.placeholder("productId")), gte(p.stock, sql.placeholder("quantity")), isNull(p.archivedAt)),
      )
      .returning({ name: p.name, priceCents: p.priceCents, currency: p.currency }),
  );
  const insertOrder = database.prepared((db) =>
    db.insert(o).values({
      id: sql.placeholder("orderId"),
      userId: sql.placeholder("userId"),
      status: "pending",
      totalCents: sql.placeholder("totalCents"),
      currency: sql.placeholder("currency"),
      idempotencyKey: sql.placeholder("idempotencyKey"),
      requestHash: sql.placeholder("requestHash"),
      version: 1,
      createdAt: sql.placeholder("at"),
      updatedAt: sql.placeholder("at"),
    }),
  );
  const insertEvent = database.prepared((db) =>
    db.insert(orderEvents).values({
      id: sql.placeholder("eventId"),
      orderId: sql.placeholder("orderId"),
      fromStatus: null,
      toStatus: "pending",
      actorId: sql.placeholder("userId"),
      createdAt: sql.placeholder("at"),
    }),
  );
  // One multi-row INSERT per table, whatever the number of lines; `i` numbers the placeholders.
  const insertItems = perLineCount((count) =>
    database.prepared((db) =>
      db.insert(orderItems).values(
        Array.from({ length: count }, (_, i) => ({
          id: sql.placeholder(`itemId${i}`),
          orderId: sql.placeholder("orderId"),
          productId: sql.placeholder(`productId${i}`),
          productName: sql.placeholder(`name${i}`),
          quantity: sql.placeholder(`quantity${i}`),
          unitPriceCents: sql.placeholder(`priceCents${i}`),
        })),
      ),
    ),
  );
  const insertMovements = perLineCount((count) =>
    database.prepared((db) =>
      db.insert(stockMovements).values(
        Array.from({ length: count }, (_, i) => ({
          id: sql.placeholder(`movementId${i}`),
          productId: sql.placeholder(`productId${i}`),
          delta: sql.placeholder(`delta${i}`),
          reason: "order_placed" as const,
          orderId: sql.placeholder("orderId"),
          actorId: sql.placeholder("userId"),
          note: null,
          createdAt: sql.placeholder("at"),
        })),
      ),
    ),
  );
  return { decrement, insertOrder, insertEvent, insertItems, insertMovements };
}

/** Lazily prepares one variant per line count (at most ORDER_MAX_LINES, in @cartwheel/contracts). */
function perLineCount<R>(prepare: (count: number) => PreparedQuery<R>): (count: number) => PreparedQuery<R> {
  const byCount = new Map<number, PreparedQuery<R>>();
  return (count) => {
    let query = byCount.get(count);
    if (!query) byCount.set(count, (query = prepare(count)));
    return query;
  };
}

export async function placeOrder(
  deps: CommerceDeps,
  statements: PlacementStatements,
  userId: string,
  input: PlaceOrderInput,
): Promise<Order> {
  const { items, idempotencyKey } = placeOrderSchema.parse(input);
  const lines = mergeLines(items);
  const requestHash = requestFingerprint(lines);
  try {
    return await deps.database.transaction((tx) =>
      placeInTransaction(deps, statements, tx, userId, idempotencyKey, lines, requestHash),
    );
  } catch (error) {
    // The key may already belong to a committed order: a concurrent identical request won the
    // unique index (our transaction rolled back), or this is a retry and the stock, prices or
    // products have changed since. Either way the first answer is the answer; this transaction
    // rolled back, so nothing of this attempt remains.
    if (!isUniqueViolation(error) && !(error instanceof DomainError)) throw error;
    const winner = await replayExisting(deps, deps.database.db, userId, idempotencyKey, requestHash);
    if (!winner) throw error;
    return winner;
  }
}

async function replayExisting(
  { database }: CommerceDeps,
  db: Db,
  userId: string,
  idempotencyKey: string,
  requestHash: string,
): Promise<Order | null> {
  const o = database.schema.orders;
  const [existing] = await db
    .select()
    .from(o)
    .where(and(eq(o.userId, userId), eq(o.idempotencyKey, idempotencyKey)));
  if (!existing) return null;
  if (existing.requestHash !== requestHash) {
    throw new DomainError("idempotency_key_reused", "This idempotency key was already used for a different order.", {
      orderId: existing.id,
    });
  }
  const [order] = await withItems(db, database, [existing]);
  return order ?? null;
}

async function placeInTransaction(
  deps: CommerceDeps,
  statements: PlacementStatements,
  tx: Db,
  userId: string,
  idempotencyKey: string,
  lines: Line[],
  requestHash: string,
): Promise<Order> {
  const at = deps.now();
  // Product-id order (mergeLines sorted them), so overlapping orders lock rows in one order.
  const locked: (Line & Locked)[] = [];
  for (const [index, line] of lines.entries()) {
    const [row] = await statements.decrement(tx, { productId: line.productId, quantity: line.quantity, at });
    if (!row) throw await shortageError(deps, tx, locked, lines.slice(index));
    locked.push({ ...line, ...row });
  }
  const { currency, totalCents } = summarise(locked);

  // Claims the (user, idempotency key) index; a duplicate fails here and rolls back the decrements.
  const orderId = newId();
  await statements.insertOrder(tx, { orderId, userId, totalCents, currency, idempotencyKey, requestHash, at });

  const items: OrderItem[] = [];
  const itemValues: Record<string, unknown> = { orderId };
  const movementValues: Record<string, unknown> = { orderId, userId, at };
  for (const [i, line] of locked.entries()) {
    items.push({
      productId: line.productId,
      productName: line.name,
      quantity: line.quantity,
      unitPriceCents: line.priceCents,
      lineTotalCents: line.quantity * line.priceCents,
    });
    itemValues[`itemId${i}`] = newId();
    itemValues[`productId${i}`] = line.productId;
    itemValues[`name${i}`] = line.name;
    itemValues[`quantity${i}`] = line.quantity;
    itemValues[`priceCents${i}`] = line.priceCents;
    // Every stock change is a ledger row (see deps.ts recordStockMovements), in the same transaction.
    movementValues[`movementId${i}`] = newId();
    movementValues[`productId${i}`] = line.productId;
    movementValues[`delta${i}`] = -line.quantity;
  }
  await statements.insertItems(locked.length)(tx, itemValues);
  await statements.insertMovements(locked.length)(tx, movementValues);
  await statements.insertEvent(tx, { eventId: newId(), orderId, userId, at });
  deps.logger?.info({ orderId, userId, totalCents, lines: lines.length }, "order placed");
  // Exactly the row written above (the version starts at 1), so no read-back is needed.
  return toOrder(
    {
      id: orderId,
      userId,
      status: "pending",
      totalCents,
      currency,
      idempotencyKey,
      requestHash,
      version: 1,
      createdAt: at,
      updatedAt: at,
    },
    items,
  );
}

function summarise(lines: readonly { quantity: number; priceCents: number; currency: string }[]) {
  const currencies = [...new Set(lines.map((line) => line.currency))];
  if (currencies.length !== 1) throw new CurrencyMismatchError(currencies);
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.priceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) {
    throw new DomainError("total_too_large", "The order total is too large; split it into several orders.", {});
  }
  return { currency: currencies[0]!, totalCents };
}

/**
 * The error for an order whose decrement failed at `remaining[0]`. The checks come in the
 * order a client should fix them: unknown or archived products, then mixed currencies or
 * an oversized total (over every line), then every short line, not just the first: the one
 * whose decrement failed plus any later one that could not be met either (read without
 * locking; the answer is advisory). The transaction rolls back whichever is thrown.
 */
async function shortageError(
  { database }: CommerceDeps,
  tx: Db,
  locked: readonly (Line & Locked)[],
  remaining: Line[],
): Promise<InsufficientStockError | NotFoundError> {
  const p = database.schema.products;
  const rows = await tx
    .select({
      id: p.id,
      name: p.name,
      stock: p.stock,
      archivedAt: p.archivedAt,
      priceCents: p.priceCents,
      currency: p.currency,
    })
    .from(p)
    .where(
      inArray(
        p.id,
        remaining.map((line) => line.productId),
      ),
    );
  const current = new Map(rows.map((row) => [row.id, row]));
  const gone = remaining.filter((line) => !current.get(line.productId) || current.get(line.productId)?.archivedAt);
  if (gone.length > 0)
    return new NotFoundError(
      "product",
      gone.map((line) => line.productId),
    );
  summarise([...locked, ...remaining.map((line) => ({ ...line, ...current.get(line.productId)! }))]);
  const shortages: Shortage[] = remaining.flatMap((line, position) => {
    const row = current.get(line.productId)!;
    const short = position === 0 || row.stock < line.quantity;
    return short
      ? [{ productId: line.productId, name: row.name, requested: line.quantity, available: Math.max(0, row.stock) }]
      : [];
  });
  return new InsufficientStockError(shortages);
}
