// Authorization and error mapping of the catalog and orders routers, through createCaller
// (and once through the fetch adapter, to see what an HTTP client receives).
import { createAuthService } from "@cartwheel/auth";
import { createCommerceServices } from "@cartwheel/commerce";
import { sealUserRow } from "@cartwheel/pii";
import { testPii } from "@cartwheel/pii/testing";
import { type Role } from "@cartwheel/db";
import { openTestDatabase, type TestDatabase, testBackends } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createWebhookService, deriveWebhookSecretKey } from "@cartwheel/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Services } from "../src/context.ts";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { createTestContext } from "../src/testing/context.ts";

const createCaller = createCallerFactory(appRouter);
const silentLogger = createLogger({ level: "error", destination: { write: () => true } });
const now = () => new Date();

/** The tRPC code a call ends with, or "OK". */
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof TRPCError ? error.code : "NOT_A_TRPC_ERROR"),
  );

describe.each(testBackends())("catalog and orders routers on %s", (backend) => {
  let database: TestDatabase;
  let services: Services;
  const actors: Record<"customer" | "other" | "staff", Actor> = {} as never;
  // One set of keys for auth, commerce and the rows written here: each opens what the others sealed.
  const keys = testPii();

  const as = (actor: Actor | null) => createCaller(createTestContext({ services, actor }));

  async function user(role: Role, name: string): Promise<Actor> {
    const [row] = await database.db
      .insert(database.schema.users)
      .values({
        ...sealUserRow(keys.pii, keys.emailIndexKey, { email: `${name}@example.test`, name }),
        passwordHash: "x",
        role,
      })
      .returning({ id: database.schema.users.id });
    return { kind: "user", id: row!.id, role, sessionId: crypto.randomUUID() };
  }

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const auth = createAuthService({ database, now, logger: silentLogger, secret, ...keys });
    services = {
      database,
      now,
      logger: silentLogger,
      auth,
      ...createCommerceServices({ database, now, ...keys }),
      webhooks: createWebhookService({ database, now, secretKey: deriveWebhookSecretKey(secret), allowPrivate: false }),
    };
    actors.customer = await user("customer", "carol");
    actors.other = await user("customer", "oscar");
    actors.staff = await user("staff", "stella");
  });
  afterAll(() => database.close());

  const newProduct = (overrides: Record<string, unknown> = {}) =>
    as(actors.staff).catalog.create({
      slug: `thing-${crypto.randomUUID().slice(0, 8)}`,
      name: "Thing",
      description: "",
      priceCents: 500,
      stock: 2,
      ...overrides,
    });

  it("lets only staff manage the catalog", async () => {
    const product = await newProduct();
    const input = { slug: "nope", name: "Nope", priceCents: 1 };
    expect(await codeOf(as(null).catalog.create(input))).toBe("UNAUTHORIZED");
    expect(await codeOf(as(actors.customer).catalog.create(input))).toBe("FORBIDDEN");
    expect(await codeOf(as(actors.customer).catalog.update({ id: product.id, name: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(as(actors.customer).catalog.archive({ id: product.id }))).toBe("FORBIDDEN");
    expect(
      await codeOf(as(actors.customer).catalog.adjustStock({ productId: product.id, delta: 5, reason: "restock" })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(as(actors.customer).catalog.upsertMany({ items: [input] }))).toBe("FORBIDDEN");
    expect(await codeOf(as(actors.staff).catalog.create({ ...input, slug: product.slug }))).toBe("CONFLICT");
  });

  it("hides archived products from customers and anonymous callers", async () => {
    const product = await newProduct({ name: "Hidden lantern" });
    await as(actors.staff).catalog.archive({ id: product.id });
    expect(await codeOf(as(null).catalog.byId({ id: product.id }))).toBe("NOT_FOUND");
    expect(await codeOf(as(actors.customer).catalog.bySlug({ slug: product.slug }))).toBe("NOT_FOUND");
    expect((await as(actors.staff).catalog.byId({ id: product.id })).archivedAt).toBeInstanceOf(Date);
    expect((await as(null).catalog.list({ q: "hidden lantern" })).items).toEqual([]);
    expect((await as(actors.staff).catalog.list({ q: "hidden lantern" })).items).toHaveLength(1);
  });

  it("validates input limits at the edge", async () => {
    const product = await newProduct();
    expect(await codeOf(as(null).catalog.list({ limit: 101 }))).toBe("BAD_REQUEST");
    expect(await codeOf(as(null).catalog.list({ cursor: "garbage" }))).toBe("BAD_REQUEST");
    const place = (items: { productId: string; quantity: number }[], idempotencyKey: string = crypto.randomUUID()) =>
      codeOf(as(actors.customer).orders.place({ items, idempotencyKey }));
    expect(await place([{ productId: product.id, quantity: 0 }])).toBe("BAD_REQUEST");
    expect(await place([{ productId: product.id, quantity: 101 }])).toBe("BAD_REQUEST");
    expect(await place([])).toBe("BAD_REQUEST");
    expect(await place(Array.from({ length: 51 }, () => ({ productId: product.id, quantity: 1 })))).toBe("BAD_REQUEST");
    expect(await place([{ productId: product.id, quantity: 1 }], "not-a-uuid")).toBe("BAD_REQUEST");
    const items = Array.from({ length: 501 }, (_, i) => ({ slug: `s-${i}`, name: "n", priceCents: 1 }));
    expect(await codeOf(as(actors.staff).catalog.upsertMany({ items }))).toBe("BAD_REQUEST");
  });

  it("keeps orders private to their owner and staff", async () => {
    const product = await newProduct();
    const order = await as(actors.customer).orders.place({
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: crypto.randomUUID(),
    });
    expect(await codeOf(as(null).orders.place({ items: [], idempotencyKey: crypto.randomUUID() }))).toBe(
      "UNAUTHORIZED",
    );
    expect(await codeOf(as(actors.other).orders.byId({ id: order.id }))).toBe("NOT_FOUND");
    expect(await codeOf(as(actors.other).orders.cancel({ id: order.id }))).toBe("NOT_FOUND");
    expect((await as(actors.staff).orders.byId({ id: order.id })).events).toHaveLength(1);
    expect((await as(actors.other).orders.mine({})).items.map((o) => o.id)).not.toContain(order.id);
    expect(await codeOf(as(actors.customer).orders.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(as(actors.customer).orders.updateStatus({ id: order.id, status: "paid" }))).toBe("FORBIDDEN");
    const apiKey: Actor = { kind: "apiKey", id: crypto.randomUUID(), role: "admin", sessionId: null };
    expect(
      await codeOf(
        as(apiKey).orders.place({
          items: [{ productId: product.id, quantity: 1 }],
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("maps domain errors: invalid transition is BAD_REQUEST, stale version and reused key CONFLICT", async () => {
    const product = await newProduct({ stock: 10 });
    const key = crypto.randomUUID();
    const order = await as(actors.customer).orders.place({
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey: key,
    });
    expect(
      await codeOf(
        as(actors.customer).orders.place({ items: [{ productId: product.id, quantity: 2 }], idempotencyKey: key }),
      ),
    ).toBe("CONFLICT");
    expect(await codeOf(as(actors.staff).orders.updateStatus({ id: order.id, status: "delivered" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf(as(actors.staff).orders.updateStatus({ id: order.id, status: "paid", expectedVersion: 9 })),
    ).toBe("CONFLICT");
    expect(
      (await as(actors.staff).orders.updateStatus({ id: order.id, status: "paid", expectedVersion: 1 })).version,
    ).toBe(2);
    expect(await codeOf(as(actors.customer).orders.cancel({ id: order.id }))).toBe("BAD_REQUEST");
  });

  it("tells an HTTP client which lines are short", async () => {
    const product = await newProduct({ stock: 1, name: "Scarce widget" });
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      router: appRouter,
      req: new Request("http://localhost/trpc/orders.place", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productId: product.id, quantity: 3 }], idempotencyKey: crypto.randomUUID() }),
      }),
      createContext: () => createTestContext({ services, actor: actors.customer }),
    });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toContain("Scarce widget (requested 3, available 1)");
    expect(body.error.data).toMatchObject({
      code: "CONFLICT",
      reason: "insufficient_stock",
      details: { shortages: [{ productId: product.id, name: "Scarce widget", requested: 3, available: 1 }] },
    });
  });
});
