import { testBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InsufficientStockError, NotFoundError, type Product } from "../src/index.ts";
import { type Harness, ledgerSum, makeProduct, openHarness, productInput, stockOf } from "./fixtures.ts";

describe.each(testBackends({ sqlite: "file" }))("catalog service on %s", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(backend);
  });
  afterAll(() => h.close());

  it("creates a product with the API shape and writes initial stock to the ledger", async () => {
    const product = await h.catalog.create(productInput({ stock: 7, currency: "EUR" }), h.staff.id);
    expect(Object.keys(product).toSorted()).toEqual(
      [
        "archivedAt",
        "createdAt",
        "currency",
        "description",
        "id",
        "name",
        "priceCents",
        "slug",
        "stock",
        "updatedAt",
      ].toSorted(),
    );
    expect(product).toMatchObject({ stock: 7, currency: "EUR", archivedAt: null });
    expect(product.createdAt).toEqual(h.clock.now());
    expect(await ledgerSum(h.database, product.id)).toBe(7);
  });

  it("rejects a duplicate slug on create and update with a conflict", async () => {
    const a = await makeProduct(h);
    const b = await makeProduct(h);
    await expect(h.catalog.create(productInput({ slug: a.slug }), h.staff.id)).rejects.toMatchObject({
      reason: "slug_taken",
    });
    await expect(h.catalog.update({ id: b.id, slug: a.slug })).rejects.toMatchObject({ reason: "slug_taken" });
  });

  it("updates fields without touching stock", async () => {
    const product = await makeProduct(h, { stock: 3 });
    h.clock.advance(1000);
    const updated = await h.catalog.update({ id: product.id, name: "Renamed", priceCents: 1234 });
    expect(updated).toMatchObject({ name: "Renamed", priceCents: 1234, stock: 3 });
    expect(updated.updatedAt.getTime()).toBe(product.updatedAt.getTime() + 1000);
    await expect(h.catalog.update({ id: crypto.randomUUID(), name: "x" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("hides archived products from everyone but staff, and restores them", async () => {
    const product = await makeProduct(h, { name: "Archivable gizmo" });
    const archived = await h.catalog.archive(product.id);
    expect(archived.archivedAt).toEqual(h.clock.now());
    await expect(h.catalog.byId(product.id, h.customer)).rejects.toBeInstanceOf(NotFoundError);
    await expect(h.catalog.bySlug(product.slug, null)).rejects.toBeInstanceOf(NotFoundError);
    expect((await h.catalog.byId(product.id, h.staff)).id).toBe(product.id);
    const publicList = await h.catalog.list({ q: "archivable gizmo" }, h.customer);
    expect(publicList.items).toHaveLength(0);
    const staffList = await h.catalog.list({ q: "archivable gizmo" }, h.staff);
    expect(staffList.items.map((p) => p.id)).toEqual([product.id]);
    expect((await h.catalog.archive(product.id)).archivedAt).toEqual(archived.archivedAt);
    expect((await h.catalog.restore(product.id)).archivedAt).toBeNull();
    expect((await h.catalog.bySlug(product.slug, null)).id).toBe(product.id);
  });

  it("answers NOT_FOUND for a missing product", async () => {
    await expect(h.catalog.byId(crypto.randomUUID(), h.staff)).rejects.toBeInstanceOf(NotFoundError);
    await expect(h.catalog.archive(crypto.randomUUID())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("adjusts stock through the ledger and never below zero", async () => {
    const product = await makeProduct(h, { stock: 5 });
    expect(
      (await h.catalog.adjustStock({ productId: product.id, delta: 10, reason: "restock" }, h.staff.id)).stock,
    ).toBe(15);
    expect(
      (await h.catalog.adjustStock({ productId: product.id, delta: -15, reason: "adjustment" }, h.staff.id)).stock,
    ).toBe(0);
    const error = await h.catalog
      .adjustStock({ productId: product.id, delta: -1, reason: "adjustment" }, h.staff.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).details.shortages).toEqual([
      { productId: product.id, name: product.name, requested: 1, available: 0 },
    ]);
    expect(await stockOf(h.database, product.id)).toBe(0);
    expect(await ledgerSum(h.database, product.id)).toBe(0);
    await expect(
      h.catalog.adjustStock({ productId: crypto.randomUUID(), delta: 1, reason: "restock" }, h.staff.id),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("upserts by slug, applies every valid item and reports failures by index", async () => {
    const existing = await makeProduct(h, { stock: 4, description: "keep me" });
    const fresh = productInput({ stock: 9 });
    const result = await h.catalog.upsertMany(
      [
        { slug: existing.slug, name: "Updated by import", priceCents: 555, stock: 1 },
        { slug: fresh.slug, name: fresh.name, priceCents: 100, stock: 9 },
        { slug: "Bad Slug!", name: "x", priceCents: 1 },
        { slug: "negative-price", name: "x", priceCents: -5 },
      ],
      h.staff.id,
    );
    expect(result.created).toBe(1);
    expect(result.updated).toBe(1);
    expect(result.errors.map((e) => e.index)).toEqual([2, 3]);
    expect(result.errors[1]?.message).toMatch(/priceCents/);
    const updated = await h.catalog.byId(existing.id, h.staff);
    expect(updated).toMatchObject({ name: "Updated by import", priceCents: 555, stock: 1, description: "keep me" });
    expect(await ledgerSum(h.database, existing.id)).toBe(1);
    const created = await h.catalog.bySlug(fresh.slug, null);
    expect(created.stock).toBe(9);
    expect(await ledgerSum(h.database, created.id)).toBe(9);
  });

  it("refuses more than 500 items", async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({ slug: `bulk-${i}`, name: "x", priceCents: 1 }));
    await expect(h.catalog.upsertMany(items, h.staff.id)).rejects.toThrow(/500/);
  });

  describe("list", () => {
    let mine: Product[];
    const tag = `zeta${Math.random().toString(36).slice(2, 8)}`;
    beforeAll(async () => {
      mine = [];
      const prices = [500, 100, 300, 100, 900, 300, 700, 100, 200, 300, 50, 800];
      for (const [i, priceCents] of prices.entries()) {
        // Several products share a timestamp so the id tie-break decides their order.
        if (i % 3 === 0) h.clock.advance(1000);
        mine.push(
          await makeProduct(h, {
            name: `${i % 2 ? "Alpha" : "Beta"} ${tag} ${String.fromCharCode(75 - i)}`,
            description: i === 4 ? `Contains the WORD ${tag.toUpperCase()}` : "plain",
            priceCents,
            stock: i % 4 === 0 ? 0 : 5,
          }),
        );
      }
    });

    async function walk(
      sort: "newest" | "price_asc" | "price_desc" | "name",
      during?: (page: number) => Promise<void>,
    ) {
      const seen: Product[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const result = await h.catalog.list({ q: tag, sort, limit: 5, cursor }, null);
        seen.push(...result.items);
        await during?.(page);
        if (!result.nextCursor) return seen;
        cursor = result.nextCursor;
      }
      throw new Error("pagination did not terminate");
    }

    it.each(["newest", "price_asc", "price_desc", "name"] as const)(
      "walks every product once sorted by %s",
      async (sort) => {
        const seen = await walk(sort);
        const ids = seen.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.toSorted()).toEqual(mine.map((p) => p.id).toSorted());
        const key = (p: Product) =>
          sort === "newest"
            ? -p.createdAt.getTime()
            : sort === "price_desc"
              ? -p.priceCents
              : sort === "price_asc"
                ? p.priceCents
                : 0;
        for (let i = 1; i < seen.length; i++) expect(key(seen[i]!)).toBeGreaterThanOrEqual(key(seen[i - 1]!));
        // Paging must agree with the database's own ordering (collation included) in one page.
        const onePage = await h.catalog.list({ q: tag, sort, limit: 100 }, null);
        expect(ids).toEqual(onePage.items.map((p) => p.id));
      },
    );

    it("returns each product exactly once while others are inserted mid-walk", async () => {
      const inserted: string[] = [];
      const seen = await walk("price_asc", async (page) => {
        if (page < 3) inserted.push((await makeProduct(h, { name: `Late ${tag}`, priceCents: 100 + page * 300 })).id);
      });
      const ids = seen.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const product of mine) expect(ids).toContain(product.id);
      mine.push(...(await Promise.all(inserted.map((id) => h.catalog.byId(id, null)))));
    });

    it("matches q case-insensitively on name and description, literally", async () => {
      const byDescription = await h.catalog.list({ q: `word ${tag}`, limit: 100 }, null);
      expect(byDescription.items.map((p) => p.id)).toEqual([mine[4]!.id]);
      const byName = await h.catalog.list({ q: `ALPHA ${tag.toUpperCase()}`, limit: 100 }, null);
      expect(byName.items.length).toBeGreaterThan(0);
      expect(byName.items.every((p) => p.name.startsWith("Alpha"))).toBe(true);
      expect((await h.catalog.list({ q: `${tag}%`, limit: 100 }, null)).items).toHaveLength(0);
    });

    it("filters by price range and stock", async () => {
      const ranged = await h.catalog.list({ q: tag, minPriceCents: 200, maxPriceCents: 500, limit: 100 }, null);
      expect(ranged.items.length).toBeGreaterThan(0);
      expect(ranged.items.every((p) => p.priceCents >= 200 && p.priceCents <= 500)).toBe(true);
      const inStock = await h.catalog.list({ q: tag, inStock: true, limit: 100 }, null);
      expect(inStock.items.length).toBeGreaterThan(0);
      expect(inStock.items.every((p) => p.stock > 0)).toBe(true);
    });

    it("rejects a forged cursor or one from another sort", async () => {
      const first = await h.catalog.list({ q: tag, limit: 2, sort: "name" }, null);
      await expect(h.catalog.list({ cursor: first.nextCursor!, sort: "newest" }, null)).rejects.toMatchObject({
        reason: "invalid_cursor",
      });
      await expect(h.catalog.list({ cursor: "not-a-cursor" }, null)).rejects.toMatchObject({
        reason: "invalid_cursor",
      });
    });
  });
});
