// Many transactions at once, some failing: each keeps its own outcome. On SQLite they share
// one SQLite transaction (SqliteGate's group commit, each under a savepoint); on PostgreSQL
// they are independent. Either way, what a caller is told is exactly what persisted.
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { isUniqueViolation } from "../src/queries.ts";
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
