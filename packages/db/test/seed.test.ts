import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { demoCatalog } from "../src/seed/catalog-data.ts";
import { seedCatalog, seedCatalogIfEmpty } from "../src/seed/catalog.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

const firstRun = () => new Date("2026-01-01T12:00:00Z");
const laterRun = () => new Date("2026-02-01T12:00:00Z");

describe("demo catalog data", () => {
  it("has at least 50 realistic products with unique slugs", () => {
    expect(demoCatalog.length).toBeGreaterThanOrEqual(50);
    expect(new Set(demoCatalog.map((item) => item.slug)).size).toBe(demoCatalog.length);
    for (const item of demoCatalog) {
      expect(item.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(item.description.length).toBeGreaterThan(20);
      expect(Number.isInteger(item.priceCents) && item.priceCents > 0).toBe(true);
      expect(Number.isInteger(item.stock) && item.stock >= 0).toBe(true);
    }
  });
});

describe.each(testBackends())("seedCatalog on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);

  const snapshot = async () => {
    const { products, stockMovements } = database().schema;
    return {
      products: await database().db.select().from(products).orderBy(asc(products.slug)),
      movements: await database().db.select().from(stockMovements).orderBy(asc(stockMovements.id)),
    };
  };

  it("writes every demo product with its stock booked in the ledger as a restock", async () => {
    expect(await seedCatalog(database(), { now: firstRun })).toEqual({ inserted: demoCatalog.length, existing: 0 });
    const { products, movements } = await snapshot();
    expect(products).toHaveLength(demoCatalog.length);
    expect(movements.every((movement) => movement.reason === "restock")).toBe(true);

    // The ledger invariant: stock == sum(deltas), for every product.
    const { products: p, stockMovements: m } = database().schema;
    const ledger = await database()
      .db.select({ stock: p.stock, booked: sql`coalesce(sum(${m.delta}), 0)`.mapWith(Number) })
      .from(p)
      .leftJoin(m, eq(m.productId, p.id))
      .groupBy(p.id, p.stock);
    expect(ledger.filter((row) => row.stock !== row.booked)).toEqual([]);
  });

  it("changes nothing when run a second time", async () => {
    await seedCatalog(database(), { now: firstRun });
    const before = await snapshot();
    expect(await seedCatalog(database(), { now: laterRun })).toEqual({ inserted: 0, existing: demoCatalog.length });
    expect(await snapshot()).toEqual(before);
  });

  it("leaves a product that already uses a demo slug untouched and books no stock for it", async () => {
    const { products, stockMovements } = database().schema;
    const taken = demoCatalog[0]!;
    await database().db.insert(products).values({ slug: taken.slug, name: "Mine", priceCents: 1, stock: 0 });

    expect(await seedCatalog(database(), { now: firstRun })).toEqual({ inserted: demoCatalog.length - 1, existing: 1 });

    const [mine] = await database().db.select().from(products).where(eq(products.slug, taken.slug));
    expect(mine).toMatchObject({ name: "Mine", priceCents: 1, stock: 0 });
    expect(await database().db.select().from(stockMovements).where(eq(stockMovements.productId, mine!.id))).toEqual([]);
  });

  it("seeds only an empty catalog when asked to seed if empty", async () => {
    expect(await seedCatalogIfEmpty(database(), { now: firstRun })).toEqual({
      inserted: demoCatalog.length,
      existing: 0,
    });
    await database().db.delete(database().schema.stockMovements);
    await database()
      .db.delete(database().schema.products)
      .where(sql`${database().schema.products.slug} <> 'knit-beanie'`);
    expect(await seedCatalogIfEmpty(database(), { now: laterRun })).toBeNull();
    expect((await snapshot()).products.map((product) => product.slug)).toEqual(["knit-beanie"]);
  });
});
