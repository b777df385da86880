// The production-shaped pieces fault suites share: built server processes on PostgreSQL (and
// Redis), a product to order, customers, and the database-side check of every order.
import { testPiiEnv } from "@cartwheel/pii/testing";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { type ControlledServer, postgresServer } from "../../support/services.ts";
import { type ServerProcess, startServerProcess, untilReady } from "../../support/server-process.ts";
import { type LoadRecorder, trpcData } from "./load.ts";

/** One set of PII keys for every process of the file, as a deployment shares them. */
const PII_ENV = testPiiEnv();

const bundle = fileURLToPath(new URL("../../../dist/index.mjs", import.meta.url));

/** Rate limits far above what these suites send: they count, they never reject. */
export const UNLIMITED = "1000000";

export interface TestDatabaseServer {
  readonly url: string;
  /** The cluster itself when the suite owns it (to stop and restart it), else null. */
  readonly cluster: ControlledServer | null;
  destroy(): Promise<void>;
}

/**
 * A private PostgreSQL cluster (initdb) the suite can stop and restart. Its programs are
 * needed; under CI=true a missing one fails the suite (see canControlPostgres).
 */
export async function ownPostgres(): Promise<TestDatabaseServer> {
  const cluster = await postgresServer();
  return { url: cluster.url, cluster, destroy: () => cluster.destroy() };
}

/** A throwaway database on TEST_DATABASE_URL when there is one (always under CI), else a private cluster. */
export async function somePostgres(): Promise<TestDatabaseServer> {
  if (!process.env.TEST_DATABASE_URL && process.env.CI !== "true") return ownPostgres();
  const throwaway = await createThrowawayDatabaseUrl();
  return { url: throwaway.url, cluster: null, destroy: throwaway.drop };
}

/**
 * Applies the migrations (as the deploy's migrate step does) and adds `count` products with
 * `stock` each. One product per client keeps row locks from queueing the clients behind
 * each other, so latencies show the fault, not a hot row.
 */
export async function migrateWithProducts(databaseUrl: string, count: number, stock: number): Promise<string[]> {
  const database = await createDatabase(databaseUrl, { migrate: true });
  try {
    const rows = await database.db
      .insert(database.schema.products)
      .values(
        Array.from({ length: count }, (_, i) => ({
          slug: `fault-${i}-${randomUUID()}`,
          name: `Fault widget ${i}`,
          description: "",
          priceCents: 700,
          stock,
        })),
      )
      .returning({ id: database.schema.products.id });
    return rows.map((row) => row.id);
  } finally {
    await database.close();
  }
}

export function productionEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    // API instances only: production mails through SMTP, and these tests have no mail to send.
    WORKER: "off",
    AUTH_SECRET: sharedSecret,
    ...PII_ENV,
    DATABASE_URL: databaseUrl,
    RATE_LIMIT_IP_PER_MIN: UNLIMITED,
    RATE_LIMIT_USER_PER_MIN: UNLIMITED,
    RATE_LIMIT_API_KEY_PER_MIN: UNLIMITED,
    ...extra,
  };
}
/** Every instance of one test run signs and verifies with the same key, as in production. */
const sharedSecret = randomBytes(48).toString("base64");

export async function startInstance(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build -w @cartwheel/server first`);
  const instance = await startServerProcess(bundle, env);
  await untilReady(instance);
  return instance;
}

export interface Customer {
  userId: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers `count` customers through the API, one after another (argon2 is CPU-bound). */
export async function registerCustomers(baseUrl: string, count: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const account = {
      email: `fault-${randomUUID()}@example.test`,
      password: "correct horse battery staple 42",
    };
    // Sign-up signs nobody in (it answers alike for taken addresses): register, then sign in.
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${baseUrl}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${text}`);
      return text;
    };
    await post("auth.register", { ...account, name: `Fault customer ${i}`, transport: "token" });
    const text = await post("auth.login", { ...account, transport: "token" });
    const { user, accessToken, refreshToken } = (
      JSON.parse(text) as { result: { data: { user: { id: string }; accessToken: string; refreshToken: string } } }
    ).result.data;
    customers.push({ userId: user.id, accessToken, refreshToken });
  }
  return customers;
}

export interface OrderLedger {
  /** "userId idempotencyKey" → number of order rows carrying it. */
  ordersPerKey: Map<string, number>;
  orderIds: Set<string>;
  /** Stock left, summed over the given products. */
  stock: number;
  /** Sum of their order_placed stock movements (negative). */
  placedDelta: number;
  orderedQuantity: number;
}

/** Reads back what the database holds (the database is private to the suite). */
export async function readLedger(databaseUrl: string, productIds: readonly string[]): Promise<OrderLedger> {
  const database = await createDatabase(databaseUrl);
  try {
    const { orders, orderItems, products, stockMovements } = database.schema;
    const [orderRows, itemRows, productRows, movementRows] = await Promise.all([
      database.db.select().from(orders),
      database.db.select().from(orderItems),
      database.db.select().from(products),
      database.db.select().from(stockMovements),
    ]);
    const ordersPerKey = new Map<string, number>();
    for (const order of orderRows) {
      const key = `${order.userId} ${order.idempotencyKey}`;
      ordersPerKey.set(key, (ordersPerKey.get(key) ?? 0) + 1);
    }
    const ours = new Set(productIds);
    const found = productRows.filter((row) => ours.has(row.id));
    if (found.length !== ours.size) throw new Error(`${ours.size - found.length} products are gone`);
    return {
      ordersPerKey,
      orderIds: new Set(orderRows.map((order) => order.id)),
      stock: found.reduce((sum, row) => sum + row.stock, 0),
      placedDelta: movementRows
        .filter((row) => ours.has(row.productId) && row.reason === "order_placed")
        .reduce((sum, row) => sum + row.delta, 0),
      orderedQuantity: itemRows.filter((row) => ours.has(row.productId)).reduce((sum, row) => sum + row.quantity, 0),
    };
  } finally {
    await database.close();
  }
}

/**
 * `orders.place` as a careful client sends it: the idempotency key in the body and in an
 * `Idempotency-Key` header, which tells a proxy the request is safe to send again.
 */
export function placeOrder(baseUrl: string, customer: Customer, productId: string, key: string, signal: AbortSignal) {
  return fetch(`${baseUrl}/trpc/orders.place`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${customer.accessToken}`,
      "idempotency-key": key,
    },
    body: JSON.stringify({ items: [{ productId, quantity: 1 }], idempotencyKey: key }),
    signal,
  });
}

/**
 * `auth.refresh` for `customer`, timed by `recorder`. On success the customer adopts the
 * rotated tokens, so the next refresh presents the new one, as a real client does.
 */
export async function refreshSession(
  recorder: LoadRecorder,
  baseUrl: string,
  customer: Customer,
  headers: Record<string, string> = {},
): Promise<void> {
  const answer = await recorder.time("auth.refresh", (signal) =>
    fetch(`${baseUrl}/trpc/auth.refresh`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: customer.refreshToken }),
      signal,
    }),
  );
  if (answer?.status === 200) {
    const { accessToken, refreshToken } = trpcData(answer) as Customer;
    Object.assign(customer, { accessToken, refreshToken });
  }
}
