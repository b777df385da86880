// Shared test fixtures: a fresh database per suite, a fake clock, seeded users, helpers
// that read the ledger back so every test can check `stock == sum(delta)`.
import { testPii, type TestPii } from "@cartwheel/pii/testing";
import { type Database, type Role } from "@cartwheel/db";
import { type Backend, openTestDatabase, type TestDatabase } from "@cartwheel/db/testing";
import { eq, sql } from "drizzle-orm";
import type { CreateProductInput } from "@cartwheel/contracts";
import { type PiiBox, sealUserRow } from "@cartwheel/pii";
import {
  type AddressBook,
  createAddressBook,
  type CatalogService,
  type CommerceDeps,
  createCatalogService,
  createOrderService,
  type OrderService,
  type Product,
  type Viewer,
} from "../src/index.ts";

export interface FakeClock {
  now: () => Date;
  advance(ms: number): void;
}

/** Time stands still unless a test moves it, so equal timestamps (and id tie-breaks) are exercised. */
export function fakeClock(start = Date.parse("2026-01-01T00:00:00.000Z")): FakeClock {
  let current = start;
  return { now: () => new Date(current), advance: (ms) => void (current += ms) };
}

export interface Harness {
  database: TestDatabase;
  clock: FakeClock;
  catalog: CatalogService;
  orders: OrderService;
  addresses: AddressBook;
  pii: PiiBox;
  /** The box and index key the services use, for rows a test writes or reads itself. */
  keys: TestPii;
  customer: Viewer;
  otherCustomer: Viewer;
  staff: Viewer;
  close(): Promise<void>;
}

/** A user row as auth writes one: name and address sealed under `keys`, the address indexed. */
export async function createUser(database: Database, keys: TestPii, role: Role, label: string = role): Promise<Viewer> {
  const email = `${label}-${Math.random().toString(36).slice(2)}@example.test`;
  const [user] = await database.db
    .insert(database.schema.users)
    .values({ ...sealUserRow(keys.pii, keys.emailIndexKey, { email, name: label }), passwordHash: "x", role })
    .returning({ id: database.schema.users.id });
  return { id: user!.id, staff: role !== "customer" };
}

/** `extra` adds optional dependencies (the outbox, a low-stock threshold) to the services. */
export async function openHarness(
  backend: Backend,
  extra: (database: Database) => Partial<CommerceDeps> = () => ({}),
): Promise<Harness> {
  const database = await openTestDatabase(backend);
  const clock = fakeClock();
  const keys = testPii();
  const deps: CommerceDeps = { database, now: clock.now, ...keys, ...extra(database) };
  return {
    database,
    clock,
    catalog: createCatalogService(deps),
    orders: createOrderService(deps),
    addresses: createAddressBook(deps),
    pii: deps.pii,
    keys: { pii: deps.pii, emailIndexKey: deps.emailIndexKey },
    customer: await createUser(database, keys, "customer", "alice"),
    otherCustomer: await createUser(database, keys, "customer", "bob"),
    staff: await createUser(database, keys, "staff", "sam"),
    close: () => database.close(),
  };
}

let slugCounter = 0;
export function productInput(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  slugCounter += 1;
  return {
    slug: `product-${slugCounter}-${Math.random().toString(36).slice(2, 8)}`,
    name: `Product ${slugCounter}`,
    description: "A fine thing",
    priceCents: 1000,
    stock: 10,
    ...overrides,
  };
}

export async function makeProduct(h: Harness, overrides: Partial<CreateProductInput> = {}): Promise<Product> {
  return h.catalog.create(productInput(overrides), h.staff.id);
}

export async function stockOf(database: Database, productId: string): Promise<number> {
  const p = database.schema.products;
  const [row] = await database.db.select({ stock: p.stock }).from(p).where(eq(p.id, productId));
  return row!.stock;
}

export async function ledgerSum(database: Database, productId: string): Promise<number> {
  const m = database.schema.stockMovements;
  const [row] = await database.db
    .select({ total: sql`coalesce(sum(${m.delta}), 0)`.mapWith(Number) })
    .from(m)
    .where(eq(m.productId, productId));
  return row!.total;
}

export async function countRows(database: Database, table: "orders" | "orderItems" | "orderEvents" | "stockMovements") {
  const [row] = await database.db.select({ n: sql`count(*)`.mapWith(Number) }).from(database.schema[table]);
  return row!.n;
}

/** Settles every promise and splits outcomes, for concurrency assertions. */
export async function settle<T>(promises: Promise<T>[]) {
  const results = await Promise.allSettled(promises);
  const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  return { ok, failed };
}

export const uuid = () => crypto.randomUUID();
