// Shoppers' catalog pages come from memory, yet never lag a write: a price or stock change
// made through the API shows on the very next request, and hits/misses reach /metrics.
import { appRouter } from "@cartwheel/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, mutation, query, type TestApp } from "./support/app.ts";

interface Page {
  items: { id: string; priceCents: number; stock: number; archivedAt: string | null }[];
}

const staff = { Authorization: "Test staff-1:staff" };
const staffMutation = (input: unknown): RequestInit => ({
  ...mutation(input),
  headers: { "Content-Type": "application/json", ...staff },
});
const page = async (response: Response) => ((await response.json()) as { result: { data: Page } }).result.data;

async function counter(t: TestApp, name: "hits" | "misses", cache: string): Promise<number> {
  const metric = name === "hits" ? t.services.metrics!.cacheHits : t.services.metrics!.cacheMisses;
  const { values } = await metric.get();
  return values.find((value) => value.labels.cache === cache)?.value ?? 0;
}

describe("catalog page cache over HTTP (SQLite: CATALOG_CACHE=auto is on)", () => {
  let t: TestApp;
  let productId: string;
  const list = query("catalog.list", { limit: 100 });

  beforeAll(async () => {
    t = await createTestApp({ router: appRouter });
    const product = await t.services.catalog.create(
      { slug: "cached-kettle", name: "Cached Kettle", priceCents: 1000, stock: 5 },
      null,
    );
    productId = product.id;
  });
  afterAll(() => t.close());

  const shown = async (init?: RequestInit) => {
    const response = await t.request(list, init);
    expect(response.status).toBe(200);
    return (await page(response)).items.find((item) => item.id === productId);
  };

  it("answers a repeated query from memory with the same bytes and the gateway's headers", async () => {
    const first = await t.request(list);
    const hitsBefore = await counter(t, "hits", "catalog_page_http");
    const second = await t.request(list);
    expect(await second.text()).toBe(await first.text());
    expect(await counter(t, "hits", "catalog_page_http")).toBe(hitsBefore + 1);
    expect(second.headers.get("content-type")).toBe("application/json");
    expect(second.headers.get("cache-control")).toBe("no-store");
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(second.headers.get("ratelimit-remaining")).not.toBeNull();
  });

  it("shows a price change and a stock adjustment made through the API on the next request", async () => {
    expect(await shown()).toMatchObject({ priceCents: 1000, stock: 5 });
    const update = await t.request("/trpc/catalog.update", staffMutation({ id: productId, priceCents: 1250 }));
    expect(update.status).toBe(200);
    expect(await shown()).toMatchObject({ priceCents: 1250, stock: 5 });
    const adjust = await t.request(
      "/trpc/catalog.adjustStock",
      staffMutation({ productId, delta: -2, reason: "adjustment" }),
    );
    expect(adjust.status).toBe(200);
    expect(await shown()).toMatchObject({ priceCents: 1250, stock: 3 });
  });

  it("keeps staff (who also see archived products) off the shoppers' cached pages", async () => {
    await t.services.catalog.archive(productId);
    expect(await shown()).toBeUndefined();
    expect(await shown({ headers: staff })).toMatchObject({ archivedAt: expect.any(String) });
    await t.services.catalog.restore(productId);
    expect(await shown()).toMatchObject({ archivedAt: null });
  });

  it("counts misses too", async () => {
    const misses = await counter(t, "misses", "catalog_page_http");
    await t.services.catalog.adjustStock({ productId, delta: 1, reason: "restock" }, null);
    expect(await shown()).toMatchObject({ stock: 4 });
    expect(await counter(t, "misses", "catalog_page_http")).toBe(misses + 1);
  });
});
