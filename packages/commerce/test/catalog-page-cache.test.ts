// The catalog page cache must never serve a stale price or stock level: every write that
// touches products or stock, through either service, is followed by a list that must equal
// an uncached read of the same database.
import { createDatabase } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CatalogPageCache,
  type CatalogService,
  createCatalogPageCache,
  createCatalogService,
  createOrderService,
  type OrderService,
} from "../src/index.ts";
import { fakeClock, type Harness, openHarness, productInput, uuid } from "./fixtures.ts";

describe.each(testBackends({ sqlite: "file" }))("catalog page cache on %s", (backend) => {
  let h: Harness;
  let cache: CatalogPageCache;
  let catalog: CatalogService;
  let orders: OrderService;
  const lookups = { hits: 0, misses: 0 };

  beforeAll(async () => {
    h = await openHarness(backend);
    cache = createCatalogPageCache({
      externalVersion: h.database.changeCounter,
      onLookup: (_cache, hit) => void (hit ? lookups.hits++ : lookups.misses++),
    });
    const deps = { database: h.database, now: h.clock.now, catalogPageCache: cache, ...h.keys };
    catalog = createCatalogService(deps);
    orders = createOrderService(deps);
  });
  afterAll(() => h.close());

  /** Lists through the cache (warming it), and checks it against a read that bypasses it. */
  async function expectFresh(query: Parameters<CatalogService["list"]>[0] = {}) {
    const staffView = await catalog.list(query, h.staff);
    const publicView = await catalog.list(query, null);
    expect(staffView).toEqual(await h.catalog.list(query, h.staff));
    expect(publicView).toEqual(await h.catalog.list(query, null));
    return publicView;
  }

  const shown = async (id: string) => (await catalog.list({ limit: 100 }, null)).items.find((p) => p.id === id);

  it("serves a repeated page from the cache and counts hits and misses", async () => {
    await catalog.create(productInput(), h.staff.id);
    const before = { ...lookups };
    const first = await catalog.list({ limit: 5 }, null);
    const second = await catalog.list({ limit: 5 }, null);
    expect(second).toBe(first);
    expect(lookups).toEqual({ hits: before.hits + 1, misses: before.misses + 1 });
    expect(Object.isFrozen(first.items[0])).toBe(true);
  });

  it("shows every catalog write at once: create, update, archive, restore, adjustStock, upsertMany", async () => {
    await expectFresh({ limit: 100 });
    const product = await catalog.create(productInput({ priceCents: 1000, stock: 5 }), h.staff.id);
    expect((await expectFresh({ limit: 100 })).items.map((p) => p.id)).toContain(product.id);

    await catalog.update({ id: product.id, priceCents: 1500 });
    expect((await shown(product.id))?.priceCents).toBe(1500);
    await expectFresh({ limit: 100 });

    await catalog.adjustStock({ productId: product.id, delta: 7, reason: "restock" }, h.staff.id);
    expect((await shown(product.id))?.stock).toBe(12);

    await catalog.archive(product.id);
    expect(await shown(product.id)).toBeUndefined();
    await expectFresh({ limit: 100 });

    await catalog.restore(product.id);
    expect(await shown(product.id)).toBeDefined();

    const { slug } = product;
    await catalog.upsertMany([{ ...productInput(), slug, priceCents: 2500, stock: 3 }], h.staff.id);
    expect(await shown(product.id)).toMatchObject({ priceCents: 2500 });
    await expectFresh({ limit: 100 });
  });

  it("shows stock changes from orders: place, cancel, and a staff cancellation", async () => {
    const product = await catalog.create(productInput({ stock: 10 }), h.staff.id);
    await expectFresh({ limit: 100, inStock: true });
    const order = await orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 4 }],
      idempotencyKey: uuid(),
    });
    expect((await shown(product.id))?.stock).toBe(6);
    await expectFresh({ limit: 100, inStock: true });

    await orders.cancel(order.id, h.customer);
    expect((await shown(product.id))?.stock).toBe(10);

    const second = await orders.place(h.customer.id, {
      items: [{ productId: product.id, quantity: 10 }],
      idempotencyKey: uuid(),
    });
    expect((await expectFresh({ limit: 100, inStock: true })).items.map((p) => p.id)).not.toContain(product.id);
    await orders.updateStatus({ id: second.id, status: "cancelled" }, h.staff);
    expect((await shown(product.id))?.stock).toBe(10);
  });

  it("shows each upsertMany item as soon as it is committed, not only at the end of the batch", async () => {
    // A shopper lists the catalog between two items of one import (before each item's transaction).
    const seenBeforeItem: string[][] = [];
    let lister: CatalogService | undefined;
    const database = {
      ...h.database,
      transaction: async <T>(fn: Parameters<typeof h.database.transaction<T>>[0]) => {
        seenBeforeItem.push((await lister!.list({ limit: 100 }, null)).items.map((p) => p.slug));
        return h.database.transaction(fn);
      },
    };
    const importer = createCatalogService({ database, now: h.clock.now, catalogPageCache: cache });
    lister = catalog;
    const slugs = [uuid(), uuid(), uuid()].map((id) => `import-${id}`);
    const result = await importer.upsertMany(
      slugs.map((slug) => ({ ...productInput(), slug })),
      h.staff.id,
    );
    expect(result).toMatchObject({ created: 3, errors: [] });
    // Before item n, the n items committed before it are listed (newest first).
    for (const [n, seen] of seenBeforeItem.entries()) {
      for (const committed of slugs.slice(0, n)) expect(seen).toContain(committed);
    }
    expect(seenBeforeItem).toHaveLength(3);
    await expectFresh({ limit: 100 });
  });

  it("never stores a page read before a write that finished while it was in flight", async () => {
    const product = await catalog.create(productInput({ stock: 1 }), h.staff.id);
    const stamp = cache.stamp();
    const stale = await h.catalog.list({ limit: 100 }, null); // read "before" the write
    await catalog.adjustStock({ productId: product.id, delta: 5, reason: "restock" }, h.staff.id);
    cache.set(`list:public:${JSON.stringify({ limit: 100, sort: "newest" })}`, stamp, stale);
    expect((await shown(product.id))?.stock).toBe(6);
  });
});

describe("catalog page cache across processes on one SQLite file", () => {
  it("notices a commit made through another connection (data_version)", async () => {
    const h = await openHarness("sqlite-file");
    const clock = fakeClock();
    const cache = createCatalogPageCache({ externalVersion: h.database.changeCounter });
    const cached = createCatalogService({ database: h.database, now: clock.now, catalogPageCache: cache });
    const product = await cached.create(productInput({ priceCents: 100 }), null);
    await cached.list({}, null); // cached now
    // A second connection, as `npm run db:seed` or another server process would open.
    const other = await createDatabase(h.database.label.replace(/^sqlite:/, "file:"), { migrate: false });
    try {
      await createCatalogService({ database: other, now: clock.now }).update({ id: product.id, priceCents: 999 });
    } finally {
      await other.close();
    }
    const page = await cached.list({}, null);
    expect(page.items.find((p) => p.id === product.id)?.priceCents).toBe(999);
    await h.close();
  });
});
