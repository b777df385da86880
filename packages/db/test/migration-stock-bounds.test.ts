// Migration 0002 turns the stock and price CHECKs into ranges. On SQLite that rebuilds the
// products table, which order lines and ledger rows reference: this migrates a database that
// already holds orders (and a product a cancel once pushed past the cap) from the previous
// migration to the newest and checks that nothing is lost and the ledger still adds up.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "../src/create-database.ts";
import type { Dialect } from "../src/database.ts";
import { migrationsFolder } from "../src/migrations-path.ts";
import { MAX_STOCK } from "../src/schema/bounds.ts";
import { createThrowawayDatabaseUrl } from "../src/testing/index.ts";

const BEFORE_BOUNDS = "0001";
const runPostgres = process.env.CI === "true" || Boolean(process.env.TEST_DATABASE_URL);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).toReversed()) await cleanup();
});

/** A copy of the committed migrations that ends at `lastTag`, as a database deployed back then has them. */
function migrationsUpTo(dialect: Dialect, lastTag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-migrations-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(migrationsFolder(dialect), dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((entry) => entry.tag.startsWith(lastTag));
  expect(end).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

const ids = {
  user: "0195f0a4-0000-7000-8000-000000000001",
  widget: "0195f0a4-0000-7000-8000-000000000002",
  overCap: "0195f0a4-0000-7000-8000-000000000003",
  order: "0195f0a4-0000-7000-8000-000000000004",
};
const OVER_CAP = MAX_STOCK + 500;

/** The rows a shop had before the bounds: an order for a widget, and a product restocked past the cap. */
function seedStatements(q: (name: string) => string): string[] {
  const t = 1_767_225_600_000;
  const ts = (ms: number) => (q("x") === '"x"' ? `to_timestamp(${ms / 1000})` : String(ms));
  const product = (id: string, slug: string, stock: number) =>
    `insert into ${q("products")} (${["id", "slug", "name", "description", "price_cents", "currency", "stock", "created_at", "updated_at"].map(q).join(", ")}) values ('${id}', '${slug}', '${slug} name', 'kept', 1250, 'USD', ${stock}, ${ts(t)}, ${ts(t)})`;
  const movement = (id: string, productId: string, delta: number, reason: string, orderId: string | null) =>
    `insert into ${q("stock_movements")} (${["id", "product_id", "delta", "reason", "order_id", "created_at"].map(q).join(", ")}) values ('${id}', '${productId}', ${delta}, '${reason}', ${orderId ? `'${orderId}'` : "null"}, ${ts(t)})`;
  return [
    `insert into ${q("users")} (${["id", "email", "password_hash", "name", "role", "created_at", "updated_at"].map(q).join(", ")}) values ('${ids.user}', 'kept@example.test', 'x', 'Kept', 'customer', ${ts(t)}, ${ts(t)})`,
    product(ids.widget, "widget", 7),
    product(ids.overCap, "over-cap", OVER_CAP),
    `insert into ${q("orders")} (${["id", "user_id", "status", "total_cents", "currency", "idempotency_key", "request_hash", "version", "created_at", "updated_at"].map(q).join(", ")}) values ('${ids.order}', '${ids.user}', 'pending', 3750, 'USD', 'key-1', 'hash-1', 1, ${ts(t)}, ${ts(t)})`,
    `insert into ${q("order_items")} (${["id", "order_id", "product_id", "product_name", "quantity", "unit_price_cents"].map(q).join(", ")}) values ('0195f0a4-0000-7000-8000-000000000005', '${ids.order}', '${ids.widget}', 'widget name', 3, 1250)`,
    `insert into ${q("order_events")} (${["id", "order_id", "to_status", "actor_id", "created_at"].map(q).join(", ")}) values ('0195f0a4-0000-7000-8000-000000000006', '${ids.order}', 'pending', '${ids.user}', ${ts(t)})`,
    movement("0195f0a4-0000-7000-8000-000000000007", ids.widget, 10, "restock", null),
    movement("0195f0a4-0000-7000-8000-000000000008", ids.widget, -3, "order_placed", ids.order),
    movement("0195f0a4-0000-7000-8000-000000000009", ids.overCap, OVER_CAP, "restock", null),
  ];
}

/** Checks every row survived; returns the ledger rows, which the migration may only have added to. */
async function checkMigratedRows(url: string): Promise<number> {
  const database = await createDatabase(url, { migrate: true });
  cleanups.push(() => database.close());
  const { db, schema: s } = database;
  const products = await db.select().from(s.products);
  const stockOf = (id: string) => products.find((row) => row.id === id)?.stock;
  expect(
    products
      .map((row) => [row.slug, row.description, row.priceCents])
      .toSorted((a, b) => String(a[0]).localeCompare(String(b[0]))),
  ).toEqual([
    ["over-cap", "kept", 1250],
    ["widget", "kept", 1250],
  ]);
  expect({ widget: stockOf(ids.widget), overCap: stockOf(ids.overCap) }).toEqual({ widget: 7, overCap: MAX_STOCK });
  expect((await db.select().from(s.users)).map((row) => row.email)).toEqual(["kept@example.test"]);
  expect((await db.select().from(s.orders)).map((row) => [row.id, row.totalCents])).toEqual([[ids.order, 3750]]);
  expect((await db.select().from(s.orderItems)).map((row) => [row.productId, row.quantity])).toEqual([[ids.widget, 3]]);
  expect(await db.select().from(s.orderEvents)).toHaveLength(1);
  const movements = await db.select().from(s.stockMovements);
  const ledger = (id: string) =>
    movements.filter((row) => row.productId === id).reduce((sum, row) => sum + row.delta, 0);
  expect({ widget: ledger(ids.widget), overCap: ledger(ids.overCap) }).toEqual({ widget: 7, overCap: MAX_STOCK });
  const cap = movements.find((row) => row.delta === MAX_STOCK - OVER_CAP);
  expect(cap).toMatchObject({ productId: ids.overCap, reason: "adjustment", orderId: null });
  expect(cap?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // The new bound holds from now on.
  await expect(
    db
      .update(s.products)
      .set({ stock: MAX_STOCK + 1 })
      .where(eq(s.products.id, ids.widget)),
  ).rejects.toThrow(/Failed query/);
  return movements.length;
}

describe("migration 0002 (stock and price ranges) keeps existing data", () => {
  it("sqlite: a file database holding orders migrates with every row kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-migrate-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "shop.db");
    const connection = new BetterSqlite3(path);
    connection.pragma("foreign_keys = ON");
    // Explicit schema types: inferring them from drizzle's database type (an intersection the
    // compiler walks member by member) costs ~270k type instantiations per call.
    migrateSqlite<Record<string, never>>(drizzleSqlite(connection), {
      migrationsFolder: migrationsUpTo("sqlite", BEFORE_BOUNDS),
    });
    for (const statement of seedStatements((name) => `\`${name}\``)) connection.exec(statement);
    connection.close();
    expect(await checkMigratedRows(`file:${path}`)).toBe(4);
    const reopened = new BetterSqlite3(path);
    cleanups.push(() => void reopened.close());
    // Every order line and ledger row still points at a product row of the rebuilt table.
    expect(reopened.pragma("foreign_key_check")).toEqual([]);
    expect(reopened.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
  });

  it.runIf(runPostgres)("postgres: a database holding orders migrates with every row kept", async () => {
    const { url, drop } = await createThrowawayDatabaseUrl();
    cleanups.push(drop);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migratePg<Record<string, never>>(drizzlePg(client), {
        migrationsFolder: migrationsUpTo("postgres", BEFORE_BOUNDS),
      });
      for (const statement of seedStatements((name) => `"${name}"`)) await client.query(statement);
    } finally {
      await client.end();
    }
    expect(await checkMigratedRows(url)).toBe(4);
  });
});
