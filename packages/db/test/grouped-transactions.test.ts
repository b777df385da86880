// Many transactions at once, some failing: each keeps its own outcome. On SQLite they share
// one SQLite transaction (SqliteGate's group commit, each under a savepoint); on PostgreSQL
// they are independent. Either way, what a caller is told is exactly what persisted.
import { asc, eq, type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/connection-errors.ts";
import { isUniqueViolation } from "../src/queries.ts";
import { TransactionRetryError } from "../src/query-errors.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

describe.each(testBackends({ sqlite: "both" }))("concurrent transactions with failures on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);

  it("commits exactly the transactions that succeeded, with all of their writes", async () => {
    const { products, stockMovements } = database().schema;
    const attempt = (n: number) =>
      database().transaction(async (tx) => {
        const [row] = await tx
          .insert(products)
          .values({ slug: `p${n}`, name: `P${n}`, priceCents: 100, stock: 1 })
          .returning({ id: products.id });
        await tx.insert(stockMovements).values({ productId: row!.id, delta: 1, reason: "restock" });
        if (n % 3 === 0) throw new Error(`abort ${n}`);
        // A constraint violation in the middle of a transaction rolls back only that transaction.
        if (n % 3 === 1) await tx.insert(products).values({ slug: `p${n}`, name: "duplicate", priceCents: 1 });
        return n;
      });

    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, n) => attempt(n)));

    const succeeded = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    expect(succeeded).toEqual([2, 5, 8, 11]);
    const duplicates = outcomes.filter((_, n) => n % 3 === 1);
    expect(duplicates.every((outcome) => outcome.status === "rejected" && isUniqueViolation(outcome.reason))).toBe(
      true,
    );
    const slugs = await database()
      .db.select({ slug: products.slug })
      .from(products)
      .orderBy(asc(products.slug))
      .then((rows) => rows.map((row) => row.slug));
    expect(slugs).toEqual(["p11", "p2", "p5", "p8"]);
    expect(await database().db.select().from(stockMovements)).toHaveLength(4);
  });
});

// SQLite's group commit: members share one COMMIT. When it fails, a member that failed only
// because of another member's (now undone) write must not report that failure: here B sees
// the stock A took and says "out of stock", yet A's write never persisted.
describe.each(testBackends({ sqlite: "both" }).filter((b) => b.startsWith("sqlite")))(
  "a failed group COMMIT on %s",
  (backend) => {
    const database = sharedCatalogDatabase(backend);

    it("gives every member, including one that failed on a member's uncommitted write, a retryable error", async () => {
      const { products, orderItems } = database().schema;
      const [row] = await database()
        .db.insert(products)
        .values({ slug: "last-unit", name: "Last unit", priceCents: 100, stock: 1 })
        .returning({ id: products.id });
      const id = row!.id;
      const takeLastUnit = database().transaction(async (tx) => {
        // The COMMIT will fail: a deferred foreign key violation is only checked then.
        await (tx as unknown as { run(query: SQL): Promise<unknown> }).run(sql`pragma defer_foreign_keys = on`);
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} - 1` })
          .where(eq(products.id, id));
        await tx.insert(orderItems).values({
          orderId: "no-such-order",
          productId: id,
          productName: "Last unit",
          quantity: 1,
          unitPriceCents: 100,
        });
      });
      // Queued behind the first, so it runs in the same SQLite transaction and sees its write.
      const buyAfterIt = database().transaction(async (tx) => {
        const [current] = await tx.select({ stock: products.stock }).from(products).where(eq(products.id, id));
        if (current!.stock < 1) throw new Error("out of stock");
        return "bought";
      });
      const outcomes = await Promise.allSettled([takeLastUnit, buyAfterIt]);

      for (const outcome of outcomes) {
        expect(outcome.status).toBe("rejected");
        const reason = (outcome as PromiseRejectedResult).reason as TransactionRetryError;
        expect(reason).toBeInstanceOf(TransactionRetryError);
        expect(isDatabaseUnavailable(reason)).toBe(true); // answered as 503, retry later
      }
      const [after] = await database().db.select({ stock: products.stock }).from(products).where(eq(products.id, id));
      expect(after!.stock).toBe(1); // nothing of the group persisted
      // The unit is there for whoever retries.
      expect(
        await database().transaction(async (tx) => {
          const [current] = await tx.select({ stock: products.stock }).from(products).where(eq(products.id, id));
          return current!.stock;
        }),
      ).toBe(1);
    });
  },
);
