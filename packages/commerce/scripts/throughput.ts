// Rough service-level throughput of catalog.list and orders.place (no HTTP), on a SQLite
// file and, when TEST_DATABASE_URL is set, on a throwaway PostgreSQL database.
//   npx tsx packages/commerce/scripts/throughput.ts [seconds=5] [concurrency=16]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, type Database } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { productSorts } from "@cartwheel/contracts";
import { createCommerceServices, type Product } from "../src/index.ts";
import { sealUserRow } from "@cartwheel/pii";
import { testPii } from "@cartwheel/pii/testing";

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 16);

async function measure(name: string, call: () => Promise<unknown>): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        await call();
        done += 1;
      } catch {
        failed += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  console.log(`  ${name.padEnd(14)} ${(done / elapsed).toFixed(0).padStart(6)} req/s  (${done} ok, ${failed} failed)`);
}

const now = () => new Date();

async function run(label: string, database: Database): Promise<void> {
  const keys = testPii();
  const { catalog, orders } = createCommerceServices({ database, now, ...keys });
  const [user] = await database.db
    .insert(database.schema.users)
    .values({
      ...sealUserRow(keys.pii, keys.emailIndexKey, { email: "bench@example.test", name: "bench" }),
      passwordHash: "x",
    })
    .returning();
  const products: Product[] = [];
  for (let i = 0; i < 200; i++) {
    products.push(
      await catalog.create(
        {
          slug: `bench-${i}`,
          name: `Bench item ${i}`,
          description: `Item number ${i}`,
          priceCents: 100 + i,
          stock: 1_000_000,
        },
        null,
      ),
    );
  }
  console.log(`${label} (concurrency ${concurrency}, ${seconds}s each)`);
  let n = 0;
  await measure("catalog.list", () =>
    catalog.list({ limit: 20, sort: productSorts[n++ % productSorts.length], inStock: n % 2 === 0 }, null),
  );
  await measure("orders.place", () => {
    const first = products[Math.floor(Math.random() * products.length)]!;
    const second = products[Math.floor(Math.random() * products.length)]!;
    return orders.place(user!.id, {
      items: [
        { productId: first.id, quantity: 1 },
        { productId: second.id, quantity: 2 },
      ],
      idempotencyKey: crypto.randomUUID(),
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "cartwheel-bench-"));
try {
  const sqlite = await createDatabase(`file:${join(dir, "bench.db")}`);
  await run("sqlite-file", sqlite);
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.env.TEST_DATABASE_URL) {
  const { url, drop } = await createThrowawayDatabaseUrl();
  const pg = await createDatabase(url, { migrate: true, max: 20 });
  try {
    await run("postgres", pg);
  } finally {
    await pg.close();
    await drop();
  }
}
