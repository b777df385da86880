// SQLite migrations run with foreign keys off. A drizzle table rebuild (`__new_orders`, copy,
// DROP `orders`, rename) with foreign keys on would cascade the DROP into order_items and
// order_events (ON DELETE cascade), or refuse to run. Each test writes its migration into its
// own copy of the committed migrations folder; none is added to the repository.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationsFolder } from "../src/migrations-path.ts";
import { openSqlite } from "../src/sqlite/open-sqlite.ts";

const REBUILD_ORDERS = `CREATE TABLE \`__new_orders\` (
	\`id\` text PRIMARY KEY NOT NULL,
	\`user_id\` text NOT NULL,
	\`status\` text DEFAULT 'pending' NOT NULL,
	\`total_cents\` integer NOT NULL,
	\`currency\` text NOT NULL,
	\`idempotency_key\` text NOT NULL,
	\`request_hash\` text NOT NULL,
	\`version\` integer DEFAULT 1 NOT NULL,
	\`note\` text DEFAULT '' NOT NULL,
	\`created_at\` integer NOT NULL,
	\`updated_at\` integer NOT NULL,
	FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO \`__new_orders\`("id", "user_id", "status", "total_cents", "currency", "idempotency_key", "request_hash", "version", "created_at", "updated_at") SELECT "id", "user_id", "status", "total_cents", "currency", "idempotency_key", "request_hash", "version", "created_at", "updated_at" FROM \`orders\`;--> statement-breakpoint
DROP TABLE \`orders\`;--> statement-breakpoint
ALTER TABLE \`__new_orders\` RENAME TO \`orders\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX \`orders_user_idempotency_uq\` ON \`orders\` (\`user_id\`,\`idempotency_key\`);--> statement-breakpoint
CREATE INDEX \`orders_created_idx\` ON \`orders\` (\`created_at\`,\`id\`);`;

let dir: string;
let folder: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cartwheel-migrate-"));
  folder = join(dir, "migrations");
  file = join(dir, "test.db");
  cpSync(migrationsFolder("sqlite"), folder, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Appends a migration to the copied folder, after the committed ones. */
function addMigration(tag: string, sql: string): void {
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; when: number }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag } as never);
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(folder, `${tag}.sql`), sql);
}

/** One customer with one order holding two items and two events, written with plain SQL. */
function seedOrder(): void {
  const database = openSqlite({ path: file, migrationsFolder: folder });
  void database.close();
  const connection = new BetterSqlite3(file);
  try {
    connection.exec(`
      INSERT INTO users (id, email, password_hash, name, created_at, updated_at) VALUES ('u1', 'a@example.test', 'x', 'A', 1, 1);
      INSERT INTO products (id, slug, name, price_cents, stock, created_at, updated_at) VALUES ('p1', 'p', 'P', 100, 5, 1, 1);
      INSERT INTO orders (id, user_id, total_cents, currency, idempotency_key, request_hash, created_at, updated_at)
        VALUES ('o1', 'u1', 200, 'USD', 'k1', 'h1', 1, 1);
      INSERT INTO order_items (id, order_id, product_id, product_name, quantity, unit_price_cents)
        VALUES ('i1', 'o1', 'p1', 'P', 1, 100), ('i2', 'o1', 'p1', 'P', 1, 100);
      INSERT INTO order_events (id, order_id, to_status, created_at) VALUES ('e1', 'o1', 'pending', 1), ('e2', 'o1', 'paid', 2);
    `);
  } finally {
    connection.close();
  }
}

function counts() {
  const connection = new BetterSqlite3(file, { readonly: true });
  try {
    const count = (table: string) => connection.prepare(`select count(*) from ${table}`).pluck().get();
    return { orders: count("orders"), items: count("order_items"), events: count("order_events") };
  } finally {
    connection.close();
  }
}

describe("SQLite migrations", () => {
  it("rebuild a referenced table without losing the rows that reference it", async () => {
    seedOrder();
    addMigration("0100_rebuild_orders", REBUILD_ORDERS);
    const database = openSqlite({ path: file, migrationsFolder: folder });
    try {
      const { orders, orderItems } = database.schema;
      expect(await database.db.select({ id: orders.id }).from(orders)).toEqual([{ id: "o1" }]);
      expect(await database.db.select({ id: orderItems.id }).from(orderItems)).toHaveLength(2);
    } finally {
      await database.close();
    }
    expect(counts()).toEqual({ orders: 1, items: 2, events: 2 });
    const connection = new BetterSqlite3(file, { readonly: true });
    try {
      const columns = connection.prepare("select name from pragma_table_info('orders')").pluck().all();
      expect(columns).toContain("note");
    } finally {
      connection.close();
    }
  });

  it("keeps foreign keys enforced once migrated", async () => {
    seedOrder();
    addMigration("0100_rebuild_orders", REBUILD_ORDERS);
    const database = openSqlite({ path: file, migrationsFolder: folder });
    try {
      const { orderItems } = database.schema;
      const orphan = {
        id: "i3",
        orderId: "missing",
        productId: "p1",
        productName: "P",
        quantity: 1,
        unitPriceCents: 1,
      };
      await expect(database.db.insert(orderItems).values(orphan)).rejects.toMatchObject({
        code: "SQLITE_CONSTRAINT_FOREIGNKEY",
      });
    } finally {
      await database.close();
    }
  });

  it("refuses a migration that would leave dangling foreign keys, and changes nothing", () => {
    seedOrder();
    addMigration("0100_drop_orders_rows", "DELETE FROM `orders`;");
    expect(() => openSqlite({ path: file, migrationsFolder: folder })).toThrow(
      /Migration rolled back: it would leave 4 row\(s\) whose foreign key points at a missing row \((order_items|order_events) → orders/,
    );
    expect(counts()).toEqual({ orders: 1, items: 2, events: 2 });
    // Not recorded as applied: the next open tries it again (and refuses again).
    expect(() => openSqlite({ path: file, migrationsFolder: folder })).toThrow(/Migration rolled back/);
  });
});
