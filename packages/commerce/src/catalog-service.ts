import { isUniqueViolation } from "@cartwheel/db";
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { cursorValues, decodeCursor, encodeCursor, keysetAfter } from "./cursor.ts";
import { type CatalogDeps, INITIAL_STOCK_REASON, recordStockMovements, type Viewer } from "./deps.ts";
import { InsufficientStockError, NotFoundError, StockLimitError } from "./errors.ts";
import {
  type AdjustStockInput,
  adjustStockSchema,
  DomainError,
  type CreateProductInput,
  createProductSchema,
  type ListProductsInput,
  listProductsSchema,
  MAX_STOCK,
  type UpdateProductInput,
  updateProductSchema,
  type UpsertItem,
} from "@cartwheel/contracts";
import { type Product, toProduct } from "./product-view.ts";
import { upsertProducts, type UpsertResult } from "./catalog-upsert.ts";
import { invalidating } from "./catalog-page-cache.ts";
import { DEFAULT_LOW_STOCK_THRESHOLD, stockLowEvent } from "./low-stock.ts";

type Page = { items: Product[]; nextCursor: string | null };

export type CatalogService = ReturnType<typeof createCatalogService>;

export function createCatalogService(deps: CatalogDeps) {
  const { database, now, catalogPageCache: cache } = deps;
  const { db, schema: s } = database;
  const p = s.products;
  // Shoppers may see the catalog a replication delay late; staff, who edit it, read their own writes.
  const readerFor = (viewer: Viewer | null) => (viewer?.staff ? db : database.reader);

  const sortColumns = {
    newest: {
      column: p.createdAt,
      direction: "desc",
      cursorValue: (row: Product) => row.createdAt.getTime(),
      cursorSchema: cursorValues.timestamp,
    },
    price_asc: {
      column: p.priceCents,
      direction: "asc",
      cursorValue: (row: Product) => row.priceCents,
      cursorSchema: cursorValues.priceCents,
    },
    price_desc: {
      column: p.priceCents,
      direction: "desc",
      cursorValue: (row: Product) => row.priceCents,
      cursorSchema: cursorValues.priceCents,
    },
    name: {
      column: p.name,
      direction: "asc",
      cursorValue: (row: Product) => row.name,
      cursorSchema: cursorValues.text,
    },
  } as const;

  async function findVisible(where: SQL, viewer: Viewer | null, missing: string): Promise<Product> {
    const [row] = await readerFor(viewer).select().from(p).where(where).limit(1);
    if (!row || (row.archivedAt && !viewer?.staff)) throw new NotFoundError("product", [missing]);
    return toProduct(row);
  }

  const service = {
    /** Keyset pagination: each product appears once per walk, even while others are inserted. */
    async list(input: ListProductsInput, viewer: Viewer | null): Promise<Page> {
      const query = listProductsSchema.parse(input);
      const key = cache && `list:${viewer?.staff ? "staff" : "public"}:${JSON.stringify(query)}`;
      const cached = key === undefined ? undefined : (cache?.get("catalog_list", key) as Page | undefined);
      if (cached) return cached;
      const stamp = cache?.stamp();
      const sort = sortColumns[query.sort];
      const conditions: SQL[] = [];
      if (!viewer?.staff) conditions.push(isNull(p.archivedAt));
      if (query.q) {
        conditions.push(or(database.textSearch(p.name, query.q), database.textSearch(p.description, query.q))!);
      }
      if (query.minPriceCents !== undefined) conditions.push(gte(p.priceCents, query.minPriceCents));
      if (query.maxPriceCents !== undefined) conditions.push(lte(p.priceCents, query.maxPriceCents));
      if (query.inStock) conditions.push(gt(p.stock, 0));
      if (query.cursor) {
        const { value, id } = decodeCursor(`products:${query.sort}`, query.cursor, sort.cursorSchema);
        conditions.push(keysetAfter(sort.column, p.id, sort.direction, value, id));
      }
      const order = sort.direction === "asc" ? asc : desc;
      // A page the cache will keep is read from the primary (see catalog-page-cache.ts).
      const source = key === undefined ? readerFor(viewer) : db;
      const rows = await source
        .select()
        .from(p)
        .where(and(...conditions))
        .orderBy(order(sort.column), order(p.id))
        .limit(query.limit + 1);
      const items = rows.slice(0, query.limit).map(toProduct);
      const last = items.at(-1);
      const nextCursor =
        rows.length > query.limit && last
          ? encodeCursor(`products:${query.sort}`, sort.cursorValue(last), last.id)
          : null;
      const page: Page = { items, nextCursor };
      if (key !== undefined && stamp) cache?.set(key, stamp, freezePage(page));
      return page;
    },

    byId: (id: string, viewer: Viewer | null) => findVisible(eq(p.id, id), viewer, id),
    bySlug: (slug: string, viewer: Viewer | null) => findVisible(eq(p.slug, slug), viewer, slug),

    async create(input: CreateProductInput, actorId: string | null): Promise<Product> {
      const fields = createProductSchema.parse(input);
      const at = now();
      try {
        return await database.transaction(async (tx) => {
          const [row] = await tx
            .insert(p)
            .values({ ...fields, createdAt: at, updatedAt: at })
            .returning();
          if (!row) throw new Error("insert returned no row");
          if (fields.stock > 0) {
            await recordStockMovements(tx, database, at, [
              { productId: row.id, delta: fields.stock, reason: INITIAL_STOCK_REASON, actorId, note: "initial stock" },
            ]);
          }
          return toProduct(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw slugTaken(fields.slug);
        throw error;
      }
    },

    /** Stock is not editable here: it changes only through the ledger (adjustStock, orders). */
    async update(input: UpdateProductInput): Promise<Product> {
      const { id, ...fields } = updateProductSchema.parse(input);
      try {
        const [row] = await db
          .update(p)
          .set({ ...fields, updatedAt: now() })
          .where(eq(p.id, id))
          .returning();
        if (!row) throw new NotFoundError("product", [id]);
        return toProduct(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw slugTaken(fields.slug ?? "");
        throw error;
      }
    },

    async archive(id: string): Promise<Product> {
      const at = now();
      const [row] = await db
        .update(p)
        .set({ archivedAt: at, updatedAt: at })
        .where(and(eq(p.id, id), isNull(p.archivedAt)))
        .returning();
      return row ? toProduct(row) : findVisible(eq(p.id, id), { id: "", staff: true }, id);
    },

    async restore(id: string): Promise<Product> {
      const [row] = await db
        .update(p)
        .set({ archivedAt: null, updatedAt: now() })
        .where(and(eq(p.id, id), isNotNull(p.archivedAt)))
        .returning();
      return row ? toProduct(row) : findVisible(eq(p.id, id), { id: "", staff: true }, id);
    },

    /** A conditional update, so concurrent adjustments and orders can never push stock below 0. */
    async adjustStock(input: AdjustStockInput, actorId: string | null): Promise<Product> {
      const { productId, delta, reason, note } = adjustStockSchema.parse(input);
      const at = now();
      return database.transaction(async (tx) => {
        const [row] = await tx
          .update(p)
          .set({ stock: sql`${p.stock} + ${delta}`, updatedAt: at })
          .where(and(eq(p.id, productId), sql`${p.stock} + ${delta} >= 0`, sql`${p.stock} + ${delta} <= ${MAX_STOCK}`))
          .returning();
        if (!row) {
          const [current] = await tx.select().from(p).where(eq(p.id, productId));
          if (!current) throw new NotFoundError("product", [productId]);
          if (delta < 0) {
            throw new InsufficientStockError([
              { productId, name: current.name, requested: -delta, available: current.stock },
            ]);
          }
          throw new StockLimitError(productId, MAX_STOCK, "Cannot adjust the stock");
        }
        await recordStockMovements(tx, database, at, [{ productId, delta, reason, actorId, note: note ?? null }]);
        const threshold = deps.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
        const stockLow = stockLowEvent(productId, row.stock - delta, row.stock, threshold);
        if (stockLow) await deps.events?.record(tx, stockLow);
        return toProduct(row);
      });
    },

    upsertMany: (items: readonly UpsertItem[], actorId: string | null): Promise<UpsertResult> =>
      upsertProducts(deps, items, actorId),
  };

  // Every write that touches a product or its stock invalidates cached pages once it has settled.
  return {
    ...service,
    /** The same cache, for the HTTP layer's cached responses (apps/server); null when disabled. */
    catalogPageCache: cache ?? null,
    create: (input: CreateProductInput, actorId: string | null) => invalidating(cache, service.create(input, actorId)),
    update: (input: UpdateProductInput) => invalidating(cache, service.update(input)),
    archive: (id: string) => invalidating(cache, service.archive(id)),
    restore: (id: string) => invalidating(cache, service.restore(id)),
    adjustStock: (input: AdjustStockInput, actorId: string | null) =>
      invalidating(cache, service.adjustStock(input, actorId)),
    // Invalidates after each item's commit itself (catalog-upsert.ts), not once per batch.
    upsertMany: (items: readonly UpsertItem[], actorId: string | null) => service.upsertMany(items, actorId),
  };
}

/** Cached pages are shared by every caller: freeze them so no caller can edit another's answer. */
function freezePage(page: Page): Page {
  for (const item of page.items) Object.freeze(item);
  Object.freeze(page.items);
  return Object.freeze(page);
}

function slugTaken(slug: string) {
  return new DomainError("slug_taken", `The slug "${slug}" is already used by another product.`, { slug });
}
