// Race-free order placement. Stock only ever goes down through a conditional decrement,
// rows are locked in product-id order so multi-line orders cannot deadlock, prices come from
// the locked rows, and an order is all or nothing. The order row is written with its
// decrements, atomically: the (user, idempotency key) unique index then makes a second
// identical request fail and take its decrements back with it, after which it replays the
// first request's order.
//
// Two paths, one answer (errors come from placement-errors.ts on both):
// - PostgreSQL (one-statement-placement.ts): one autocommit statement (`database.
//   placeOrderInOneStatement`, in @cartwheel/db) decrements every line and inserts order, items,
//   ledger and event, so a hot product row is locked for one statement, not for a transaction's
//   round trips. It writes nothing when a line cannot be met; an unlocked read then says why.
// - SQLite (in process, no round trips): a transaction of five statements per order
//   (decrement per line, order, items, ledger, event), each prepared once (see
//   `database.prepared`), and the outbox's events when the shop records them. The answer is built from what was written rather than read back.
import { createHash } from "node:crypto";
import { type Database, type Db, isUniqueViolation, newId, placeholder, type PreparedQuery } from "@cartwheel/db";
import { and, eq, gte, isNull, sql } from "drizzle-orm";
import type { CommerceDeps } from "./deps.ts";
import { DomainError, type PlaceOrderInput, placeOrderSchema } from "@cartwheel/contracts";
import { placeInOneStatement, type PlacementRequest } from "./one-statement-placement.ts";
import { type Order, type OrderItem, orderItem, toOrder, withItems } from "./order-view.ts";
import { DEFAULT_LOW_STOCK_THRESHOLD, stockLowEvent } from "./low-stock.ts";
import { type Line, shortageError, summarise } from "./placement-errors.ts";
import { sealAddress } from "./shipping.ts";
import { PII_FIELDS } from "@cartwheel/pii";

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

type Locked = { name: string; priceCents: number; currency: string; stock: number };

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
      .returning({ name: p.name, priceCents: p.priceCents, currency: p.currency, stock: p.stock }),
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
      shippingAddress: sql.placeholder("shippingAddress"),
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
  const { items, idempotencyKey, shippingAddress } = placeOrderSchema.parse(input);
  const lines = mergeLines(items);
  // The fingerprint covers the lines only: a retry under the same key replays the first order,
  // address included, and no hash of an address is stored beside the sealed one.
  const requestHash = requestFingerprint(lines);
  const sealedAddress = shippingAddress
    ? sealAddress(deps.pii, PII_FIELDS.orderShippingAddress, shippingAddress)
    : null;
  const request = { userId, idempotencyKey, lines, requestHash, shippingAddress: sealedAddress };
  const inOneStatement = deps.database.placeOrderInOneStatement;
  try {
    return inOneStatement
      ? await placeInOneStatement(deps, inOneStatement, request)
      : await deps.database.transaction((tx) => placeInTransaction(deps, statements, tx, request));
  } catch (error) {
    // The key may already belong to a committed order: a concurrent identical request won the
    // unique index (our transaction or statement rolled back), or this is a retry and the stock,
    // prices or products have changed since. Either way the first answer is the answer; nothing
    // of this attempt remains.
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
  { userId, idempotencyKey, lines, requestHash, shippingAddress }: PlacementRequest,
): Promise<Order> {
  const at = deps.now();
  // Product-id order (mergeLines sorted them), so overlapping orders lock rows in one order.
  const locked: (Line & Locked)[] = [];
  for (const [index, line] of lines.entries()) {
    const [row] = await statements.decrement(tx, { productId: line.productId, quantity: line.quantity, at });
    if (!row) throw (await shortageError(deps.database, tx, locked, lines.slice(index), true))!;
    locked.push({ ...line, ...row });
  }
  const { currency, totalCents } = summarise(locked);

  // Claims the (user, idempotency key) index; a duplicate fails here and rolls back the decrements.
  const orderId = newId();
  await statements.insertOrder(tx, {
    orderId,
    userId,
    totalCents,
    currency,
    idempotencyKey,
    requestHash,
    shippingAddress,
    at,
  });

  const items: OrderItem[] = [];
  const itemValues: Record<string, unknown> = { orderId };
  const movementValues: Record<string, unknown> = { orderId, userId, at };
  for (const [i, line] of locked.entries()) {
    items.push(orderItem(line));
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
  await recordPlacementEvents(deps, tx, orderId, userId, locked);
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
      shippingAddress,
      carrier: null,
      trackingNumber: null,
      createdAt: at,
      updatedAt: at,
    },
    items,
  );
}

/** `order.created`, and `product.stock_low` for each line that crossed the threshold (stock is after the decrement). */
async function recordPlacementEvents(
  { events, lowStockThreshold = DEFAULT_LOW_STOCK_THRESHOLD }: CommerceDeps,
  tx: Db,
  orderId: string,
  userId: string,
  locked: readonly (Line & Locked)[],
): Promise<void> {
  if (!events) return;
  await events.record(tx, { type: "order.created", payload: { orderId, userId } });
  for (const line of locked) {
    const event = stockLowEvent(line.productId, line.stock + line.quantity, line.stock, lowStockThreshold);
    if (event) await events.record(tx, event);
  }
}
