import type { KeyObject } from "node:crypto";
import type { Database, Db, OutboxWriter, StockReason } from "@cartwheel/db";
import type { PiiBox } from "@cartwheel/pii";
import type { CatalogPageCache } from "./catalog-page-cache.ts";

/** The slice of a pino logger the services use; any structured logger fits. */
export interface CommerceLogger {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
}

/** What the catalog needs: it holds no personal data. */
export interface CatalogDeps {
  database: Database;
  /** Injected so tests can control time without sleeping. */
  now: () => Date;
  logger?: CommerceLogger;
  /** Shoppers' catalog pages; every product or stock write invalidates it (see catalog-page-cache.ts). */
  catalogPageCache?: CatalogPageCache;
  /**
   * The outbox: order and stock events are recorded in the transaction (or statement) of the
   * change. Absent, the shop records no events (nothing consumes them).
   */
  events?: OutboxWriter | undefined;
  /** LOW_STOCK_THRESHOLD (low-stock.ts has the rule and the default). */
  lowStockThreshold?: number | undefined;
  /** Told after this process committed order events, so live streams get them at once (order-event-hub.ts). */
  orderEventsCommitted?: () => void;
}

export interface CommerceDeps extends CatalogDeps {
  /** Seals and opens personal data at rest (shipping addresses; customers' names and addresses). */
  pii: PiiBox;
  /** PII_INDEX_KEY: staff find a customer's orders by e-mail through its blind index. */
  emailIndexKey: KeyObject;
}

/** Who is asking. Staff see archived products and every order. */
export interface Viewer {
  id: string;
  staff: boolean;
}

/** Stock set when a product is created (or first imported) counts as goods arriving. */
export const INITIAL_STOCK_REASON = "restock" satisfies StockReason;

export interface StockMovement {
  productId: string;
  delta: number;
  reason: StockReason;
  orderId?: string | null;
  actorId?: string | null;
  note?: string | null;
}

/** Every stock change goes through here, so `stock == sum(delta)` holds per product. */
export async function recordStockMovements(
  tx: Db,
  database: Database,
  at: Date,
  movements: readonly StockMovement[],
): Promise<void> {
  if (movements.length === 0) return;
  await tx.insert(database.schema.stockMovements).values(
    movements.map((movement) => ({
      productId: movement.productId,
      delta: movement.delta,
      reason: movement.reason,
      orderId: movement.orderId ?? null,
      actorId: movement.actorId ?? null,
      note: movement.note ?? null,
      createdAt: at,
    })),
  );
}
