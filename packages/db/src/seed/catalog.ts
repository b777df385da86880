import { count } from "drizzle-orm";
import type { Database } from "../database.ts";
import { demoCatalog } from "./catalog-data.ts";

export interface SeedOptions {
  now: () => Date;
}

export interface SeedCatalogResult {
  /** Products created by this run. */
  inserted: number;
  /** Demo products whose slug already existed; they are left exactly as they are. */
  existing: number;
}

/**
 * Writes the demo catalog. Idempotent: products are matched by slug and an existing one
 * is never touched, so a second run (or a concurrent one) changes nothing. The initial
 * stock of each new product is also booked in the stock ledger as a restock, in the
 * same transaction, so that stock always equals the sum of its ledger deltas.
 */
export async function seedCatalog(database: Database, { now }: SeedOptions): Promise<SeedCatalogResult> {
  return database.transaction(async (tx) => {
    const { products, stockMovements } = database.schema;
    const start = now().getTime();
    // One second apart, oldest first, so "newest" sorting shows a stable, meaningful order.
    const rows = demoCatalog.map((item, index) => {
      const at = new Date(start - (demoCatalog.length - index) * 1000);
      return { ...item, currency: "USD", createdAt: at, updatedAt: at };
    });
    const created = await tx
      .insert(products)
      .values(rows)
      .onConflictDoNothing({ target: products.slug })
      .returning({ id: products.id, stock: products.stock, createdAt: products.createdAt });
    const restocks = created
      .filter((product) => product.stock > 0)
      .map((product) => ({
        productId: product.id,
        delta: product.stock,
        reason: "restock" as const,
        note: "initial stock (demo catalog)",
        createdAt: product.createdAt,
      }));
    if (restocks.length > 0) await tx.insert(stockMovements).values(restocks);
    return { inserted: created.length, existing: rows.length - created.length };
  });
}

/**
 * Seeds only a database without any product, for the embedded SQLite default on first
 * start. Once the catalog has any product it is left alone, so demo products a developer
 * deleted or edited do not come back.
 */
export async function seedCatalogIfEmpty(database: Database, options: SeedOptions): Promise<SeedCatalogResult | null> {
  const [row] = await database.db.select({ products: count() }).from(database.schema.products);
  if ((row?.products ?? 0) > 0) return null;
  return seedCatalog(database, options);
}
