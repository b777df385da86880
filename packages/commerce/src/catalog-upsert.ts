// Bulk create-or-update by slug for the CLI's CSV import. Each item is validated and
// applied in its own transaction: valid rows land even when others fail. Each commit
// invalidates the catalog page cache at once: a page cached between one item's commit and the
// end of the batch would otherwise hide that item until the batch ends.
import { isUniqueViolation } from "@cartwheel/db";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { type CatalogDeps, INITIAL_STOCK_REASON, recordStockMovements } from "./deps.ts";
import { createProductSchema, DomainError, MAX_UPSERT_ITEMS, type UpsertItem } from "@cartwheel/contracts";

export interface UpsertResult {
  created: number;
  updated: number;
  errors: { index: number; message: string }[];
}

export async function upsertProducts(
  deps: CatalogDeps,
  items: readonly UpsertItem[],
  actorId: string | null,
): Promise<UpsertResult> {
  if (items.length > MAX_UPSERT_ITEMS) {
    throw new RangeError(`upsertMany takes at most ${MAX_UPSERT_ITEMS} items`);
  }
  const result: UpsertResult = { created: 0, updated: 0, errors: [] };
  for (const [index, item] of items.entries()) {
    const parsed = createProductSchema.safeParse(item);
    if (!parsed.success) {
      result.errors.push({ index, message: describeIssues(parsed.error) });
      continue;
    }
    try {
      const outcome = await upsertOne(deps, item, parsed.data, actorId);
      result[outcome] += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) deps.logger?.warn({ err: error, index }, "upsertMany item failed");
      result.errors.push({ index, message: error instanceof DomainError ? error.message : "could not be saved" });
    } finally {
      // Also after a failed item: cheap, and safe whatever the failure left behind.
      deps.catalogPageCache?.invalidate();
    }
  }
  return result;
}

type ValidItem = z.output<typeof createProductSchema>;

async function upsertOne(
  deps: CatalogDeps,
  raw: UpsertItem,
  item: ValidItem,
  actorId: string | null,
): Promise<"created" | "updated"> {
  // Two imports racing to create one slug: the loser retries and becomes an update.
  for (let attempt = 0; ; attempt++) {
    try {
      return await upsertAttempt(deps, raw, item, actorId);
    } catch (error) {
      if (attempt > 0 || !isUniqueViolation(error)) throw error;
    }
  }
}

async function upsertAttempt(
  { database, now }: CatalogDeps,
  raw: UpsertItem,
  item: ValidItem,
  actorId: string | null,
): Promise<"created" | "updated"> {
  const p = database.schema.products;
  const at = now();
  return database.transaction(async (tx) => {
    // Only the columns present in the row change, so a CSV without descriptions keeps them.
    const fields = {
      name: item.name,
      priceCents: item.priceCents,
      ...(raw.description !== undefined && { description: item.description }),
      ...(raw.currency !== undefined && { currency: item.currency }),
    };
    // The update also takes the row lock, so the stock read below cannot go stale before we write.
    const [existing] = await tx
      .update(p)
      .set({ ...fields, updatedAt: at })
      .where(eq(p.slug, item.slug))
      .returning({ id: p.id, stock: p.stock });
    if (!existing) {
      const [created] = await tx
        .insert(p)
        .values({ ...item, createdAt: at, updatedAt: at })
        .returning({ id: p.id });
      if (!created) throw new Error("insert returned no row");
      if (item.stock > 0) {
        await recordStockMovements(tx, database, at, [
          { productId: created.id, delta: item.stock, reason: INITIAL_STOCK_REASON, actorId, note: "import" },
        ]);
      }
      return "created";
    }
    if (raw.stock !== undefined && item.stock !== existing.stock) {
      const delta = item.stock - existing.stock;
      await tx
        .update(p)
        .set({ stock: sql`${p.stock} + ${delta}` })
        .where(eq(p.id, existing.id));
      await recordStockMovements(tx, database, at, [
        { productId: existing.id, delta, reason: "adjustment", actorId, note: "import" },
      ]);
    }
    return "updated";
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "item"}: ${issue.message}`).join("; ");
}
