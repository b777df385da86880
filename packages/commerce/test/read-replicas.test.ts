// With DATABASE_READ_URLS, shoppers' catalog reads go to a replica while writes, staff reads
// and orders stay on the primary. The "replica" is a second throwaway database nothing
// replicates into, so which rows come back shows which server answered.
import { testPii } from "@cartwheel/pii/testing";
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl, testBackends } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogPageCache, createCatalogService, createOrderService, type Viewer } from "../src/index.ts";
import { createUser, fakeClock, openHarness, productInput } from "./fixtures.ts";

describe.each(testBackends())("catalog without read replicas on %s", (backend) => {
  it("shows shoppers what staff just wrote", async () => {
    const h = await openHarness(backend);
    try {
      const product = await h.catalog.create(productInput(), h.staff.id);
      await expect(h.catalog.byId(product.id, null)).resolves.toMatchObject({ slug: product.slug });
    } finally {
      await h.close();
    }
  });
});

type Throwaway = Awaited<ReturnType<typeof createThrowawayDatabaseUrl>>;

describe.each(testBackends().filter((backend) => backend === "postgres"))("catalog on read replicas (%s)", () => {
  let primaryUrl: Throwaway;
  let replicaUrl: Throwaway;
  let database: Database;
  let replica: Database;
  let staff: Viewer;
  let customer: Viewer;
  const keys = testPii();
  const deps = () => ({ database, now: fakeClock().now });

  beforeAll(async () => {
    primaryUrl = await createThrowawayDatabaseUrl();
    replicaUrl = await createThrowawayDatabaseUrl();
    replica = await createDatabase(replicaUrl.url, { migrate: true });
    database = await createDatabase(primaryUrl.url, { migrate: true, readUrls: [replicaUrl.url] });
    staff = await createUser(database, keys, "staff", "sam");
    customer = await createUser(database, keys, "customer", "alice");
  });

  afterAll(async () => {
    await database?.close();
    await replica?.close();
    await primaryUrl?.drop();
    await replicaUrl?.drop();
  });

  it("writes products to the primary and serves shoppers from the replica", async () => {
    const catalog = createCatalogService(deps());
    const written = await catalog.create(productInput({ slug: "primary-only" }), staff.id);
    const onReplica = await createCatalogService({ database: replica, now: fakeClock().now }).create(
      productInput({ slug: "replica-only" }),
      null,
    );

    const publicSlugs = (await catalog.list({}, null)).items.map((product) => product.slug);
    const customerSlugs = (await catalog.list({}, customer)).items.map((product) => product.slug);
    expect(publicSlugs).toEqual(["replica-only"]);
    expect(customerSlugs).toEqual(["replica-only"]);
    await expect(catalog.bySlug("replica-only", null)).resolves.toMatchObject({ id: onReplica.id });
    await expect(catalog.byId(onReplica.id, customer)).resolves.toMatchObject({ slug: "replica-only" });
    await expect(catalog.bySlug("primary-only", null)).rejects.toThrow(/not found/i);

    // Staff edit the catalog, so they read their own writes from the primary.
    const staffSlugs = (await catalog.list({}, staff)).items.map((product) => product.slug);
    expect(staffSlugs).toEqual(["primary-only"]);
    await expect(catalog.byId(written.id, staff)).resolves.toMatchObject({ slug: "primary-only" });
  });

  it("places orders against the primary's stock and reads them back from the primary", async () => {
    const product = await createCatalogService(deps()).create(productInput({ stock: 5 }), staff.id);
    const orders = createOrderService({ ...deps(), ...keys });
    const placed = await orders.place(customer.id, {
      items: [{ productId: product.id, quantity: 2 }],
      idempotencyKey: crypto.randomUUID(),
    });
    await expect(orders.byId(placed.id, customer)).resolves.toMatchObject({ id: placed.id });
    const [onReplica] = await replica.db.select().from(replica.schema.orders);
    expect(onReplica).toBeUndefined();
  });

  it("with the page cache on, caches only pages read from the primary, so replica lag never sticks", async () => {
    const cached = createCatalogService({ ...deps(), catalogPageCache: createCatalogPageCache() });
    const written = await cached.create(productInput({ slug: "cached-primary" }), staff.id);
    // The replica (nothing replicates into it) stands for one that has not caught up yet.
    const first = (await cached.list({ limit: 100 }, null)).items.map((product) => product.slug);
    const second = (await cached.list({ limit: 100 }, null)).items.map((product) => product.slug);
    expect(first).toContain(written.slug);
    expect(second).toEqual(first);
    expect(first).not.toContain("replica-only");
    // Uncached reads still go to the replica.
    await expect(cached.bySlug("replica-only", null)).resolves.toMatchObject({ slug: "replica-only" });
  });
});
