// The PostgreSQL path of order placement (see order-placement.ts): one statement,
// `database.placeOrderInOneStatement`, writes the whole order or nothing; when it wrote
// nothing, placement-errors.ts says why.
import { newId, type PlacedLine, type PlaceOrderInOneStatement, TransactionRetryError } from "@cartwheel/db";
import type { CommerceDeps } from "./deps.ts";
import { DEFAULT_LOW_STOCK_THRESHOLD } from "./low-stock.ts";
import { type Order, orderItem, toOrder } from "./order-view.ts";
import { type Line, shortageError, summarise } from "./placement-errors.ts";

/**
 * How often the one statement is tried when it wrote nothing but every line looks satisfiable
 * a moment later (stock came back in between: a restock or a cancellation).
 */
const ONE_STATEMENT_ATTEMPTS = 3;

export interface PlacementRequest {
  userId: string;
  idempotencyKey: string;
  /** Merged and sorted by product id (mergeLines). */
  lines: Line[];
  requestHash: string;
  /** Sealed, or null for none. */
  shippingAddress: string | null;
}

export async function placeInOneStatement(
  deps: CommerceDeps,
  inOneStatement: PlaceOrderInOneStatement,
  { userId, idempotencyKey, lines, requestHash, shippingAddress }: PlacementRequest,
): Promise<Order> {
  const { database } = deps;
  for (let attempt = 1; attempt <= ONE_STATEMENT_ATTEMPTS; attempt++) {
    const at = deps.now();
    const orderId = newId();
    const placed = await inOneStatement({
      orderId,
      userId,
      idempotencyKey,
      requestHash,
      orderEventId: newId(),
      at,
      shippingAddress,
      events: deps.events && {
        createdEventId: newId(),
        traceContext: deps.events.traceContext(),
        lowStockThreshold: deps.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD,
      },
      lines: lines.map((line) => ({ ...line, orderItemId: newId(), stockMovementId: newId() })),
    });
    if (placed) {
      return placedOrder(deps, { orderId, userId, idempotencyKey, requestHash, shippingAddress, at }, lines, placed);
    }
    // Nothing was written; throws or returns the reason, unless every line looks fine again.
    const error = await shortageError(database, database.db, [], lines, false);
    if (error) throw error;
  }
  throw new TransactionRetryError("The stock of this order kept changing while it was placed; try again.");
}

function placedOrder(
  deps: CommerceDeps,
  written: {
    orderId: string;
    userId: string;
    idempotencyKey: string;
    requestHash: string;
    shippingAddress: string | null;
    at: Date;
  },
  lines: readonly Line[],
  placed: readonly PlacedLine[],
): Order {
  const quantities = new Map(lines.map((line) => [line.productId, line.quantity]));
  const priced = placed.map((line) => ({ ...line, quantity: quantities.get(line.productId)! }));
  const { currency, totalCents } = summarise(priced);
  const items = priced.map(orderItem);
  deps.logger?.info(
    { orderId: written.orderId, userId: written.userId, totalCents, lines: lines.length },
    "order placed",
  );
  return toOrder(
    {
      ...written,
      id: written.orderId,
      status: "pending",
      totalCents,
      currency,
      version: 1,
      carrier: null,
      trackingNumber: null,
      createdAt: written.at,
      updatedAt: written.at,
    },
    items,
  );
}
