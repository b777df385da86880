// Why an order could not be placed. Both placement paths (order-placement.ts) ask here, so
// the same request fails with the same error on SQLite and PostgreSQL.
import type { Database, Db } from "@cartwheel/db";
import { inArray } from "drizzle-orm";
import { DomainError, MAX_INT4, type Shortage } from "@cartwheel/contracts";
import { CurrencyMismatchError, InsufficientStockError, NotFoundError } from "./errors.ts";

/** The order total is a 32-bit integer column. */
const MAX_TOTAL_CENTS = MAX_INT4;

export interface Line {
  productId: string;
  quantity: number;
}

export type Priced = { quantity: number; priceCents: number; currency: string };

/** One currency and a total that fits the column, or the error that says which is wrong. */
export function summarise(lines: readonly Priced[]) {
  const currencies = [...new Set(lines.map((line) => line.currency))];
  if (currencies.length !== 1) throw new CurrencyMismatchError(currencies);
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.priceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) {
    throw new DomainError("total_too_large", "The order total is too large; split it into several orders.", {});
  }
  return { currency: currencies[0]!, totalCents };
}

/**
 * The error for the `remaining` lines of an order that could not be met (`placed` are lines
 * before them that could). The checks come in the order a client should fix them: unknown or
 * archived products, then mixed currencies or an oversized total (over every line, thrown),
 * then every short line, not just the first. Read without locking; the answer is advisory.
 *
 * `firstIsShort`: the caller saw the decrement of `remaining[0]` fail, so it is reported even
 * if stock came back since. Without it, null means every line looks satisfiable now.
 */
export async function shortageError(
  database: Database,
  db: Db,
  placed: readonly (Line & Priced)[],
  remaining: readonly Line[],
  firstIsShort: boolean,
): Promise<InsufficientStockError | NotFoundError | null> {
  const p = database.schema.products;
  const rows = await db
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
  summarise([...placed, ...remaining.map((line) => ({ ...line, ...current.get(line.productId)! }))]);
  const shortages: Shortage[] = remaining.flatMap((line, position) => {
    const row = current.get(line.productId)!;
    const short = (firstIsShort && position === 0) || row.stock < line.quantity;
    return short
      ? [{ productId: line.productId, name: row.name, requested: line.quantity, available: Math.max(0, row.stock) }]
      : [];
  });
  return shortages.length > 0 ? new InsufficientStockError(shortages) : null;
}
