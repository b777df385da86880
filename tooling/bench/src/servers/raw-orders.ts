// The orders.place peer: the same transaction as the order service (idempotency lookup,
// price read, order insert, conditional stock decrement, item/ledger/event inserts) on the
// raw driver, with no HTTP, framework or ORM. Runs for BENCH_SECONDS in its own process and
// prints {"transactions":N,"seconds":S,"p50":ms,"p99":ms} on stdout.
//   DATABASE_URL  file:PATH (better-sqlite3) or postgres://… (pg pool, same size as the server's)
//   BENCH_PRODUCT_ID, BENCH_USER_ID, BENCH_SECONDS, BENCH_CONCURRENCY
import { createHash, randomUUID } from "node:crypto";
import { newId } from "@cartwheel/db";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { sqlitePath } from "./shared-http.ts";

const url = process.env.DATABASE_URL ?? "";
const productId = process.env.BENCH_PRODUCT_ID ?? "";
const userId = process.env.BENCH_USER_ID ?? "";
const seconds = Number(process.env.BENCH_SECONDS ?? "5");
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? "50");
const latencies: number[] = [];

const fingerprint = () =>
  createHash("sha256")
    .update(JSON.stringify([[productId, 1]]))
    .digest("hex");

function sqliteLoop(): void {
  const db = new BetterSqlite3(sqlitePath(url));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  const replay = db.prepare("select * from orders where user_id = ? and idempotency_key = ?");
  const price = db.prepare(
    "select id, name, price_cents, currency from products where id in (?) and archived_at is null",
  );
  const insertOrder = db.prepare(
    `insert into orders (id, user_id, status, total_cents, currency, idempotency_key, request_hash, version, created_at, updated_at)
     values (?, ?, 'pending', ?, ?, ?, ?, 1, ?, ?) returning *`,
  );
  const decrement = db.prepare(
    `update products set stock = stock - ?, updated_at = ?
     where id = ? and stock >= ? and archived_at is null returning name, price_cents, currency`,
  );
  const insertItem = db.prepare(
    "insert into order_items (id, order_id, product_id, product_name, quantity, unit_price_cents) values (?, ?, ?, ?, ?, ?)",
  );
  const insertMovement = db.prepare(
    `insert into stock_movements (id, product_id, delta, reason, order_id, actor_id, note, created_at)
     values (?, ?, -1, 'order_placed', ?, ?, null, ?)`,
  );
  const insertEvent = db.prepare(
    "insert into order_events (id, order_id, from_status, to_status, actor_id, created_at) values (?, ?, null, 'pending', ?, ?)",
  );
  const place = db.transaction((key: string) => {
    if (replay.get(userId, key)) throw new Error("replayed key");
    const product = price.get(productId) as { name: string; price_cents: number; currency: string };
    const at = Date.now();
    const orderId = newId();
    insertOrder.get(orderId, userId, product.price_cents, product.currency, key, fingerprint(), at, at);
    const locked = decrement.get(1, at, productId, 1) as { name: string; price_cents: number } | undefined;
    if (!locked) throw new Error("out of stock");
    insertItem.run(newId(), orderId, productId, locked.name, 1, locked.price_cents);
    insertMovement.run(newId(), productId, orderId, userId, at);
    insertEvent.run(newId(), orderId, userId, at);
  });
  // One connection serialises everything, as in the server: concurrency does not apply.
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    place.immediate(randomUUID());
    latencies.push(performance.now() - started);
  }
  db.close();
}

async function postgresLoop(): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const end = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const connection = await pool.connect();
      try {
        await connection.query("begin");
        const key = randomUUID();
        const existing = await connection.query("select * from orders where user_id = $1 and idempotency_key = $2", [
          userId,
          key,
        ]);
        if (existing.rowCount) throw new Error("replayed key");
        const product = await connection.query(
          "select id, name, price_cents, currency from products where id = any($1) and archived_at is null",
          [[productId]],
        );
        const { price_cents: cents, currency } = product.rows[0] as { price_cents: number; currency: string };
        const at = new Date();
        const order = await connection.query(
          `insert into orders (id, user_id, status, total_cents, currency, idempotency_key, request_hash, version, created_at, updated_at)
           values ($1, $2, 'pending', $3, $4, $5, $6, 1, $7, $7) returning *`,
          [newId(), userId, cents, currency, key, fingerprint(), at],
        );
        const orderId = (order.rows[0] as { id: string }).id;
        const locked = await connection.query(
          `update products set stock = stock - 1, updated_at = $1
           where id = $2 and stock >= 1 and archived_at is null returning name, price_cents, currency`,
          [at, productId],
        );
        if (!locked.rowCount) throw new Error("out of stock");
        const { name, price_cents: unit } = locked.rows[0] as { name: string; price_cents: number };
        await connection.query(
          "insert into order_items (id, order_id, product_id, product_name, quantity, unit_price_cents) values ($1, $2, $3, $4, 1, $5)",
          [newId(), orderId, productId, name, unit],
        );
        await connection.query(
          `insert into stock_movements (id, product_id, delta, reason, order_id, actor_id, note, created_at)
           values ($1, $2, -1, 'order_placed', $3, $4, null, $5)`,
          [newId(), productId, orderId, userId, at],
        );
        await connection.query(
          "insert into order_events (id, order_id, from_status, to_status, actor_id, created_at) values ($1, $2, null, 'pending', $3, $4)",
          [newId(), orderId, userId, at],
        );
        await connection.query("commit");
      } catch (error) {
        await connection.query("rollback");
        throw error;
      } finally {
        connection.release();
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  await pool.end();
}

const started = performance.now();
if (url.startsWith("postgres")) await postgresLoop();
else sqliteLoop();
const elapsed = (performance.now() - started) / 1000;
const sorted = latencies.toSorted((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ transactions: latencies.length, seconds: elapsed, p50: at(0.5), p99: at(0.99) })}\n`,
);
