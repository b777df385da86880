// Race-free order placement. Stock only ever goes down through a conditional UPDATE
// (`stock = stock - n WHERE stock >= n`), rows are locked in product-id order so
// multi-line orders cannot deadlock, and the (user, idempotency key) unique index is
// claimed before any stock is touched, so identical concurrent requests queue behind
// the first and then replay its order.
import { createHash } from "node:crypto";
import { type Db, isUniqueViolation } from "@cartwheel/db";
import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import { type CommerceDeps, recordStockMovements } from "./deps.ts";
import {
  ConflictError,
  CurrencyMismatchError,
  InsufficientStockError,
  InvalidInputError,
  NotFoundError,
  type Shortage,
} from "./errors.ts";
import { type PlaceOrderInput, placeOrderSchema } from "./inputs.ts";
import { type Order, type OrderItem, toOrder, withItems } from "./order-view.ts";

const MAX_TOTAL_CENTS = 2_147_483_647;

interface Line {
  productId: string;
  quantity: number;
}

/** Duplicate product lines merged, sorted by product id: the lock order. */
export function mergeLines(items: readonly Line[]): Line[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .toSorted((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

/** Fingerprint of what was asked for, so a reused key with another payload is caught. */
export const requestFingerprint = (lines: readonly Line[]) =>
  createHash("sha256")
    .update(JSON.stringify(lines.map((line) => [line.productId, line.quantity])))
    .digest("hex");

export async function placeOrder(deps: CommerceDeps, userId: string, input: PlaceOrderInput): Promise<Order> {
  const { items, idempotencyKey } = placeOrderSchema.parse(input);
  const lines = mergeLines(items);
  const requestHash = requestFingerprint(lines);
  try {
    return await deps.database.transaction((tx) =>
      placeInTransaction(deps, tx, userId, idempotencyKey, lines, requestHash),
    );
  } catch (error) {
    // A concurrent identical request won the key; our transaction rolled back, so replay its order.
    if (!isUniqueViolation(error)) throw error;
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
    throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different order.", {
      orderId: existing.id,
    });
  }
  const [order] = await withItems(db, database, [existing]);
  return order ?? null;
}

async function placeInTransaction(
  deps: CommerceDeps,
  tx: Db,
  userId: string,
  idempotencyKey: string,
  lines: Line[],
  requestHash: string,
): Promise<Order> {
  const { database, now } = deps;
  const { products: p, orders: o, orderItems, orderEvents } = database.schema;
  const replay = await replayExisting(deps, tx, userId, idempotencyKey, requestHash);
  if (replay) return replay;

  const ids = lines.map((line) => line.productId);
  // A plain read for validation and a first total; prices are re-taken from the locked rows below.
  const catalog = await tx
    .select({ id: p.id, name: p.name, priceCents: p.priceCents, currency: p.currency })
    .from(p)
    .where(and(inArray(p.id, ids), isNull(p.archivedAt)));
  const known = new Map(catalog.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new NotFoundError("product", missing);
  const priced = lines.map((line) => ({ ...line, ...known.get(line.productId)! }));
  const { currency, totalCents } = summarise(priced);

  const at = now();
  const [order] = await tx
    .insert(o)
    .values({
      userId,
      status: "pending",
      totalCents,
      currency,
      idempotencyKey,
      requestHash,
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  if (!order) throw new Error("insert returned no row");

  const locked: (Line & { name: string; priceCents: number; currency: string })[] = [];
  for (const [index, line] of lines.entries()) {
    const [row] = await tx
      .update(p)
      .set({ stock: sql`${p.stock} - ${line.quantity}`, updatedAt: at })
      .where(and(eq(p.id, line.productId), gte(p.stock, line.quantity), isNull(p.archivedAt)))
      .returning({ name: p.name, priceCents: p.priceCents, currency: p.currency });
    if (!row) throw await shortageError(deps, tx, lines.slice(index));
    locked.push({ ...line, ...row });
  }

  // Someone repriced a product between our read and the lock: the locked price wins.
  let final = { ...order, totalCents, currency };
  const lockedSummary = summarise(locked);
  if (lockedSummary.totalCents !== totalCents || lockedSummary.currency !== currency) {
    const [repriced] = await tx.update(o).set(lockedSummary).where(eq(o.id, order.id)).returning();
    if (repriced) final = repriced;
  }

  const items: OrderItem[] = locked.map((line) => ({
    productId: line.productId,
    productName: line.name,
    quantity: line.quantity,
    unitPriceCents: line.priceCents,
    lineTotalCents: line.quantity * line.priceCents,
  }));
  await tx.insert(orderItems).values(
    items.map((item) => ({
      orderId: order.id,
      productId: item.productId,
      productName: item.productName,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
  );
  await recordStockMovements(
    tx,
    database,
    at,
    lines.map((line) => ({
      productId: line.productId,
      delta: -line.quantity,
      reason: "order_placed" as const,
      orderId: order.id,
      actorId: userId,
    })),
  );
  await tx
    .insert(orderEvents)
    .values({ orderId: order.id, fromStatus: null, toStatus: "pending", actorId: userId, createdAt: at });
  deps.logger?.info({ orderId: order.id, userId, totalCents: final.totalCents, lines: lines.length }, "order placed");
  return toOrder(final, items);
}

function summarise(lines: readonly { quantity: number; priceCents: number; currency: string }[]) {
  const currencies = [...new Set(lines.map((line) => line.currency))];
  if (currencies.length !== 1) throw new CurrencyMismatchError(currencies);
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.priceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) {
    throw new InvalidInputError("total_too_large", "The order total is too large; split it into several orders.", {});
  }
  return { currency: currencies[0]!, totalCents };
}

/**
 * Names every short line, not just the first: the one whose decrement failed, plus any
 * later line that could not be met either (read without locking; the answer is advisory).
 */
async function shortageError(
  { database }: CommerceDeps,
  tx: Db,
  remaining: Line[],
): Promise<InsufficientStockError | NotFoundError> {
  const p = database.schema.products;
  const rows = await tx
    .select({ id: p.id, name: p.name, stock: p.stock, archivedAt: p.archivedAt })
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
  const shortages: Shortage[] = remaining.flatMap((line, position) => {
    const row = current.get(line.productId)!;
    const short = position === 0 || row.stock < line.quantity;
    return short
      ? [{ productId: line.productId, name: row.name, requested: line.quantity, available: Math.max(0, row.stock) }]
      : [];
  });
  return new InsufficientStockError(shortages);
}
