// One table of hostile inputs, one per class that PostgreSQL alone would refuse with a 500
// (unstorable text, forged cursors, ids in another case, numbers and dates no column holds),
// run through the routers on every backend: each must answer the expected code, and every
// backend the same code and message.
import { createAuthService } from "@cartwheel/auth";
import { createCommerceServices } from "@cartwheel/commerce";
import { sealUserRow } from "@cartwheel/pii";
import { testPii } from "@cartwheel/pii/testing";
import { type Role } from "@cartwheel/db";
import { openTestDatabase, type TestDatabase, testBackends } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { TRPCError } from "@trpc/server";
import { createWebhookService, deriveWebhookSecretKey } from "@cartwheel/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Services } from "../src/context.ts";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { createTestContext } from "../src/testing/context.ts";

const createCaller = createCallerFactory(appRouter);
const silentLogger = createLogger({ level: "error", destination: { write: () => true } });
const now = () => new Date();
type Caller = ReturnType<typeof createCaller>;
const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64url");

interface World {
  staff: Caller;
  admin: Caller;
  customer: Caller;
  anonymous: Caller;
  productId: string;
}

type Code = "OK" | TRPCError["code"];
interface Row {
  name: string;
  expected: Code;
  call: (world: World) => Promise<unknown>;
}

const long = (n: number) => "a".repeat(n);
const rows: Row[] = [
  // Text PostgreSQL cannot store.
  {
    name: "product name with NUL",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.create({ slug: "nul-name", name: "a\u0000b", priceCents: 1 }),
  },
  {
    name: "description with a lone surrogate",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.create({ slug: "lone", name: "ok", description: "\uD800", priceCents: 1 }),
  },
  {
    name: "update name with a lone low surrogate",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.update({ id: w.productId, name: "x\uDC00" }),
  },
  { name: "search with NUL", expected: "BAD_REQUEST", call: (w) => w.anonymous.catalog.list({ q: "\u0000" }) },
  { name: "search with LIKE metacharacters", expected: "OK", call: (w) => w.anonymous.catalog.list({ q: "100%_\\" }) },
  { name: "search with an emoji pair", expected: "OK", call: (w) => w.anonymous.catalog.list({ q: "😀" }) },
  {
    name: "stock note with NUL",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.adjustStock({ productId: w.productId, delta: 1, reason: "restock", note: "\u0000" }),
  },
  { name: "user search with NUL", expected: "BAD_REQUEST", call: (w) => w.admin.users.list({ q: "a\u0000" }) },
  {
    name: "API key name with a lone surrogate",
    expected: "BAD_REQUEST",
    call: (w) => w.admin.apiKeys.create({ name: "\uDFFF", role: "staff" }),
  },
  {
    name: "account name with NUL",
    expected: "BAD_REQUEST",
    call: (w) =>
      w.anonymous.auth.register({ email: "nul@example.test", password: "a long enough password 1", name: "\u0000" }),
  },
  {
    name: "refresh token with NUL",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.auth.refresh({ refreshToken: "\u0000" }),
  },
  // Forged or garbled cursors.
  {
    name: "cursor: base64 garbage",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ cursor: "!!!!" }),
  },
  {
    name: "cursor: base64 of non-JSON",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ cursor: Buffer.from("hello").toString("base64url") }),
  },
  {
    name: "cursor: date value a string",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ cursor: encode({ k: "products:newest", v: "x", id: w.productId }) }),
  },
  {
    name: "cursor: date past PostgreSQL's range",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ cursor: encode({ k: "products:newest", v: 8.64e15, id: w.productId }) }),
  },
  {
    name: "cursor: id not a UUID",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ cursor: encode({ k: "products:newest", v: 0, id: "nope" }) }),
  },
  {
    name: "cursor: price past int4",
    expected: "BAD_REQUEST",
    call: (w) =>
      w.anonymous.catalog.list({
        sort: "price_asc",
        cursor: encode({ k: "products:price_asc", v: 2 ** 31, id: w.productId }),
      }),
  },
  {
    name: "cursor: name with NUL",
    expected: "BAD_REQUEST",
    call: (w) =>
      w.anonymous.catalog.list({ sort: "name", cursor: encode({ k: "products:name", v: "\u0000", id: w.productId }) }),
  },
  {
    name: "cursor: orders with a number id",
    expected: "BAD_REQUEST",
    call: (w) => w.customer.orders.mine({ cursor: encode({ k: "orders:newest", v: 0, id: 5 }) }),
  },
  {
    name: "cursor: staff orders, another listing's kind",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.orders.list({ cursor: encode({ k: "products:newest", v: 0, id: w.productId }) }),
  },
  { name: "cursor: too long", expected: "BAD_REQUEST", call: (w) => w.anonymous.catalog.list({ cursor: long(513) }) },
  // Identifiers written in another case, or not identifiers at all.
  {
    name: "product by uppercase id",
    expected: "OK",
    call: (w) => w.anonymous.catalog.byId({ id: w.productId.toUpperCase() }),
  },
  {
    name: "order with a mixed-case product id",
    expected: "OK",
    call: (w) =>
      w.customer.orders.place({
        items: [{ productId: w.productId.toUpperCase(), quantity: 1 }],
        idempotencyKey: crypto.randomUUID(),
      }),
  },
  {
    name: "order by an unknown uppercase id",
    expected: "NOT_FOUND",
    call: (w) => w.customer.orders.byId({ id: "0195F0A4-0000-7000-8000-00000000ABCD" }),
  },
  { name: "product id not a UUID", expected: "BAD_REQUEST", call: (w) => w.anonymous.catalog.byId({ id: "1 or 1=1" }) },
  {
    name: "user cursor in uppercase",
    expected: "OK",
    call: (w) => w.admin.users.list({ cursor: "0195F0A4-0000-7000-8000-00000000ABCD" }),
  },
  {
    name: "staff orders filtered by an uppercase user id",
    expected: "OK",
    call: (w) => w.staff.orders.list({ userId: "0195F0A4-0000-7000-8000-00000000ABCD" }),
  },
  // Numbers and dates no column holds.
  {
    name: "expected version past int4",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.orders.updateStatus({ id: w.productId, status: "paid", expectedVersion: 2 ** 31 }),
  },
  {
    name: "price past int4",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.create({ slug: "big-price", name: "Big", priceCents: 2 ** 31 }),
  },
  {
    name: "stock past int4",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.create({ slug: "big-stock", name: "Big", priceCents: 1, stock: 2 ** 31 }),
  },
  {
    name: "stock delta past the cap",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.adjustStock({ productId: w.productId, delta: 2 ** 31, reason: "restock" }),
  },
  {
    name: "minimum price past int4",
    expected: "BAD_REQUEST",
    call: (w) => w.anonymous.catalog.list({ minPriceCents: 2 ** 31 }),
  },
  { name: "limit of 1e308", expected: "BAD_REQUEST", call: (w) => w.anonymous.catalog.list({ limit: 1e308 }) },
  {
    name: "quantity Infinity",
    expected: "BAD_REQUEST",
    call: (w) =>
      w.customer.orders.place({
        items: [{ productId: w.productId, quantity: Infinity }],
        idempotencyKey: crypto.randomUUID(),
      }),
  },
  {
    name: "price NaN",
    expected: "BAD_REQUEST",
    call: (w) => w.staff.catalog.create({ slug: "nan-price", name: "NaN", priceCents: Number.NaN }),
  },
  {
    name: "API key expiring in year 0",
    expected: "BAD_REQUEST",
    call: (w) => w.admin.apiKeys.create({ name: "y0", role: "staff", expiresAt: "0000-01-01T00:00:00Z" }),
  },
  {
    name: "API key expiring on 30 February",
    expected: "BAD_REQUEST",
    call: (w) => w.admin.apiKeys.create({ name: "feb", role: "staff", expiresAt: "2027-02-30T00:00:00Z" }),
  },
  {
    name: "API key expiring in year 9999",
    expected: "OK",
    call: (w) => w.admin.apiKeys.create({ name: "far", role: "staff", expiresAt: "9999-12-31T23:59:59+00:00" }),
  },
];

interface Outcome {
  code: Code;
  message: string;
}

async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise;
    return { code: "OK", message: "" };
  } catch (error) {
    if (!(error instanceof TRPCError)) return { code: "INTERNAL_SERVER_ERROR", message: String(error) };
    // Ids differ per backend; everything else in the message must not.
    return {
      code: error.code,
      message: error.message.replaceAll(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, "<id>"),
    };
  }
}

const backends = testBackends();

describe(`hostile inputs answer alike on ${backends.join(", ")}`, () => {
  const databases: TestDatabase[] = [];
  const worlds = new Map<string, World>();

  beforeAll(async () => {
    for (const backend of backends) {
      const database = await openTestDatabase(backend);
      databases.push(database);
      const secret = crypto.getRandomValues(new Uint8Array(32));
      const keys = testPii();
      const auth = createAuthService({ database, now, logger: silentLogger, secret, ...keys });
      const services: Services = {
        database,
        now,
        logger: silentLogger,
        auth,
        ...createCommerceServices({ database, now, ...keys }),
        webhooks: createWebhookService({
          database,
          now,
          secretKey: deriveWebhookSecretKey(secret),
          allowPrivate: false,
        }),
      };
      const as = async (role: Role | null): Promise<Caller> => {
        let actor: Actor | null = null;
        if (role) {
          const [row] = await database.db
            .insert(database.schema.users)
            .values({
              ...sealUserRow(keys.pii, keys.emailIndexKey, { email: `${role}@example.test`, name: role }),
              passwordHash: "x",
              role,
            })
            .returning({ id: database.schema.users.id });
          actor = { kind: "user", id: row!.id, role, sessionId: crypto.randomUUID() };
        }
        return createCaller(createTestContext({ services, actor }));
      };
      const staff = await as("staff");
      const product = await staff.catalog.create({
        slug: "parity-widget",
        name: "Widget",
        priceCents: 500,
        stock: 100,
      });
      worlds.set(backend, {
        staff,
        admin: await as("admin"),
        customer: await as("customer"),
        anonymous: await as(null),
        productId: product.id,
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const database of databases) await database.close();
  });

  it("each row answers its expected code, with one code and message on every backend", async () => {
    const answers: Record<string, Record<string, Outcome>> = {};
    for (const row of rows) {
      answers[row.name] = {};
      for (const [backend, world] of worlds) answers[row.name]![backend] = await outcome(row.call(world));
    }
    const codes = Object.fromEntries(rows.map((row) => [row.name, answers[row.name]![backends[0]!]!.code]));
    expect(codes).toEqual(Object.fromEntries(rows.map((row) => [row.name, row.expected])));
    for (const row of rows) {
      const byBackend = answers[row.name]!;
      const first = byBackend[backends[0]!]!;
      expect({ row: row.name, byBackend }).toEqual({
        row: row.name,
        byBackend: Object.fromEntries(backends.map((backend) => [backend, first])),
      });
    }
  });
});
