// Shoppers' catalog pages come from memory, yet never lag a write: a price or stock change
// made through the API shows on the very next request, and hits/misses reach /metrics.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { appRouter } from "@cartwheel/api";
import { serve } from "@hono/node-server";
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
/** Every header but the per-request ones (and the transport's own, which differ between the calls). */
const perRequest = new Set([
  "x-request-id",
  "ratelimit-remaining",
  "ratelimit-reset",
  "date",
  "connection",
  "keep-alive",
]);
const gatewayHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => !perRequest.has(name)));

/** The app on a real loopback socket, as in production. */
async function listen(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const page = async (response: Response) => ((await response.json()) as { result: { data: Page } }).result.data;

async function counter(t: TestApp, name: "hits" | "misses", cache: string): Promise<number> {
  const metric = name === "hits" ? t.services.metrics!.cacheHits : t.services.metrics!.cacheMisses;
  const { values } = await metric.get();
  return values.find((value) => value.labels.cache === cache)?.value ?? 0;
}

/** Statements the database ran (the query-duration histogram's count). */
async function statements(t: TestApp): Promise<number> {
  const { values } = await t.services.metrics!.dbQueryDuration.get();
  return values.find((value) => value.metricName?.endsWith("_count"))?.value ?? 0;
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
    // Kept by the browser only to revalidate it (If-None-Match) on every use.
    expect(second.headers.get("cache-control")).toBe("private, no-cache");
    expect(second.headers.get("etag")).toMatch(/^"[\w-]{43}"$/);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(second.headers.get("ratelimit-remaining")).not.toBeNull();
  });

  it("gives a page from memory exactly the headers of one tRPC answered, request id and counters aside", async () => {
    const firstOfItsKind = query("catalog.list", { limit: 99 });
    const hitsBefore = await counter(t, "hits", "catalog_page_http");
    const miss = await t.request(firstOfItsKind);
    const hit = await t.request(firstOfItsKind);
    expect(await counter(t, "hits", "catalog_page_http")).toBe(hitsBefore + 1);
    expect(gatewayHeaders(hit)).toEqual(gatewayHeaders(miss));
  });

  it("does the same through @hono/node-server, whose Response writes a hit's plain headers as they are", async () => {
    const server = await listen(t);
    try {
      const url = `${server.url}${query("catalog.list", { limit: 98 })}`;
      const hitsBefore = await counter(t, "hits", "catalog_page_http");
      const miss = await fetch(url);
      const hit = await fetch(url);
      expect(await hit.text()).toBe(await miss.text());
      expect(await counter(t, "hits", "catalog_page_http")).toBe(hitsBefore + 1);
      expect(gatewayHeaders(hit)).toEqual(gatewayHeaders(miss));
      expect(hit.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(hit.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(hit.headers.get("ratelimit-remaining")).not.toBeNull();
    } finally {
      await server.close();
    }
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

  it("answers a matching If-None-Match with 304 and no body, from memory, running no statement", async () => {
    const conditional = query("catalog.list", { limit: 97 });
    const statementsAtStart = await statements(t);
    const first = await t.request(conditional);
    const etag = first.headers.get("etag")!;
    const hitsBefore = await counter(t, "hits", "catalog_page_http");
    const statementsBefore = await statements(t);
    expect(statementsBefore).toBeGreaterThan(statementsAtStart); // the miss ran its select
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const revalidated = await t.request(conditional, { headers: { "If-None-Match": ifNoneMatch } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe("");
      expect(revalidated.headers.get("etag")).toBe(etag);
      expect(revalidated.headers.get("content-type")).toBeNull();
      expect(revalidated.headers.get("cache-control")).toBe("private, no-cache");
      expect(revalidated.headers.get("x-request-id")).not.toBeNull();
    }
    expect(await counter(t, "hits", "catalog_page_http")).toBe(hitsBefore + 3);
    expect(await statements(t)).toBe(statementsBefore);

    const other = await t.request(conditional, { headers: { "If-None-Match": '"not-this-page"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(await first.text());
  });

  it("answers 304 on a miss too once the page turns out unchanged, and 200 once it changed", async () => {
    const conditional = query("catalog.list", { limit: 96 });
    const etag = (await t.request(conditional)).headers.get("etag")!;
    t.services.catalog.catalogPageCache!.invalidate();
    const unchanged = await t.request(conditional, { headers: { "If-None-Match": etag } });
    expect(unchanged.status).toBe(304);
    await t.services.catalog.adjustStock({ productId, delta: 1, reason: "restock" }, null);
    const changed = await t.request(conditional, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    await t.services.catalog.adjustStock({ productId, delta: -1, reason: "adjustment" }, null);
  });

  it("gives staff no ETag and no-store: their pages are neither cached nor shared", async () => {
    const response = await t.request(list, { headers: staff });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("counts misses too", async () => {
    const misses = await counter(t, "misses", "catalog_page_http");
    await t.services.catalog.adjustStock({ productId, delta: 1, reason: "restock" }, null);
    expect(await shown()).toMatchObject({ stock: 4 });
    expect(await counter(t, "misses", "catalog_page_http")).toBe(misses + 1);
  });
});
