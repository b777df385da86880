// The data every scenario runs on: a catalog of 1,000 products written through the real
// catalog service (so the ledger matches), and one hot product with plenty of stock; or, for
// the spread orders scenario, 1,000 products that each have plenty of stock.
import { createCatalogService } from "@cartwheel/commerce";
import { MAX_STOCK } from "@cartwheel/contracts";
import { createDatabase } from "@cartwheel/db";

const CATALOG_SIZE = 1000;
const ADJECTIVES = ["Sturdy", "Compact", "Handmade", "Classic", "Featherweight", "Weatherproof", "Modular", "Everyday"];
const NOUNS = ["Lantern", "Backpack", "Kettle", "Notebook", "Bicycle Bell", "Desk Lamp", "Water Bottle", "Toolkit"];

/** Deterministic products, each with a realistic name and a two-sentence description. */
function product(index: number) {
  const adjective = ADJECTIVES[index % ADJECTIVES.length]!;
  const noun = NOUNS[Math.floor(index / ADJECTIVES.length) % NOUNS.length]!;
  return {
    slug: `bench-${index.toString().padStart(4, "0")}`,
    name: `${adjective} ${noun} No. ${index}`,
    description: `A ${adjective.toLowerCase()} ${noun.toLowerCase()} made for daily use. Ships in recyclable packaging within two working days.`,
    priceCents: 499 + ((index * 7919) % 25_000),
    currency: "USD",
    stock: (index * 31) % 200,
  };
}

/** A clock that ticks one millisecond per call, so products get distinct creation times. */
function tickingClock(start = Date.UTC(2026, 0, 1)) {
  let at = start;
  return () => new Date(at++);
}

export interface SeedOptions {
  /** `catalog`: the 1,000-product catalog; `spread`: the same 1,000 with MAX_STOCK each (slugs `spread-NNNN`). */
  products: "catalog" | "spread" | "none";
  /** How many products (default 1,000; the smoke run seeds fewer, its figures are not quoted). */
  count?: number;
}

export interface Seeded {
  hotProductId: string;
}

/** Migrates `url` and fills it with the products asked for plus the hot product. */
export async function seedBenchDatabase(url: string, options: SeedOptions): Promise<Seeded> {
  const database = await createDatabase(url, { migrate: true });
  try {
    const catalog = createCatalogService({ database, now: tickingClock() });
    if (options.products !== "none") {
      const spread = options.products === "spread";
      const items = Array.from({ length: options.count ?? CATALOG_SIZE }, (_, index) => ({
        ...product(index),
        ...(spread ? { slug: `spread-${index.toString().padStart(4, "0")}`, stock: MAX_STOCK } : {}),
      }));
      for (let start = 0; start < items.length; start += 500) {
        const result = await catalog.upsertMany(items.slice(start, start + 500), null);
        if (result.errors.length > 0) throw new Error(`seeding failed: ${JSON.stringify(result.errors[0])}`);
      }
    }
    const hot = await catalog.create(
      {
        slug: `bench-hot-${Date.now().toString(36)}`,
        name: "Hot Product",
        description: "Everyone wants one.",
        priceCents: 1999,
        stock: MAX_STOCK,
      },
      null,
    );
    return { hotProductId: hot.id };
  } finally {
    await database.close();
  }
}
