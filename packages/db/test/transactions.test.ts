// The transaction contract domain code relies on, proven on every backend: atomicity,
// no interleaving of concurrent transactions, no foreign query slipping into an open
// transaction while it awaits, and nested calls joining. On SQLite these fail without
// SqliteGate (one connection shared by every request).
import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { PgSelect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import type { Db } from "../src/database.ts";
import { isCheckViolation } from "../src/queries.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

/** Yields to the event loop so that anything queued elsewhere gets its chance to run. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

function signal() {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fire, fired };
}

describe.each(testBackends({ sqlite: "both" }))("transaction contract on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);

  const addProduct = async (db: Db, slug: string, stock = 0) => {
    const { products } = database().schema;
    const [row] = await db
      .insert(products)
      .values({ slug, name: slug, priceCents: 100, stock })
      .returning({ id: products.id });
    return row!.id;
  };
  const slugs = async () => {
    const { products } = database().schema;
    const rows = await database().db.select({ slug: products.slug }).from(products).orderBy(asc(products.slug));
    return rows.map((row) => row.slug);
  };
  const stockOf = async (id: string) => {
    const { products } = database().schema;
    const [row] = await database().db.select({ stock: products.stock }).from(products).where(eq(products.id, id));
    return row!.stock;
  };

  it("commits what the callback wrote and returns its value", async () => {
    const result = await database().transaction(async (tx) => {
      await addProduct(tx, "a");
      await pause();
      await addProduct(tx, "b");
      return "done";
    });
    expect(result).toBe("done");
    expect(await slugs()).toEqual(["a", "b"]);
  });

  it("rolls back every write when the callback throws after an await", async () => {
    const id = await addProduct(database().db, "kept", 5);
    const attempt = database().transaction(async (tx) => {
      await addProduct(tx, "discarded");
      await tx.update(database().schema.products).set({ stock: 99 }).where(eq(database().schema.products.id, id));
      await pause();
      throw new Error("boom");
    });
    await expect(attempt).rejects.toThrow("boom");
    expect(await slugs()).toEqual(["kept"]);
    expect(await stockOf(id)).toBe(5);
  });

  it("rolls back earlier writes when a later statement violates a constraint", async () => {
    const attempt = database().transaction(async (tx) => {
      await addProduct(tx, "first");
      await addProduct(tx, "negative", -1);
    });
    const error = await attempt.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isCheckViolation(error)).toBe(true);
    expect(await slugs()).toEqual([]);
  });

  it("runs concurrent read-modify-write transactions one after the other", async () => {
    const { products } = database().schema;
    const id = await addProduct(database().db, "counter");
    const events: string[] = [];
    // PostgreSQL isolates concurrent transactions with row locks, so the read takes one;
    // SQLite has no row locks and relies on the whole transaction holding the connection.
    const readLocked = (tx: Db) => {
      const query = tx.select({ stock: products.stock }).from(products).where(eq(products.id, id));
      // Row locks are PostgreSQL-only, so the portable Db type has no `.for`: this test steps outside it.
      return database().dialect === "postgres" ? (query as unknown as PgSelect).for("update") : query;
    };
    const increment = (name: string) =>
      database().transaction(async (tx) => {
        const [row] = await readLocked(tx);
        events.push(`${name}:read`);
        await pause();
        await tx
          .update(products)
          .set({ stock: row!.stock + 1 })
          .where(eq(products.id, id));
        events.push(`${name}:wrote`);
      });

    await Promise.all([increment("A"), increment("B"), increment("C")]);

    expect(await stockOf(id)).toBe(3);
    // Each transaction's read and write are adjacent: no other transaction ran in between.
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.split(":")[0]).toBe(events[i + 1]!.split(":")[0]);
    }
  });

  it("never oversells under concurrent conditional decrements", async () => {
    const { products, stockMovements } = database().schema;
    const id = await addProduct(database().db, "scarce", 3);
    const buy = () =>
      database().transaction(async (tx) => {
        const taken = await tx
          .update(products)
          .set({ stock: sql`${products.stock} - 1` })
          .where(and(eq(products.id, id), gte(products.stock, 1)))
          .returning({ id: products.id });
        await pause();
        if (taken.length === 0) return false;
        await tx.insert(stockMovements).values({ productId: id, delta: -1, reason: "adjustment" });
        return true;
      });

    const outcomes = await Promise.all(Array.from({ length: 6 }, buy));

    expect(outcomes.filter(Boolean)).toHaveLength(3);
    expect(await stockOf(id)).toBe(0);
    expect(await database().db.select().from(stockMovements)).toHaveLength(3);
  });

  it("keeps a foreign write issued while the transaction awaits out of it", async () => {
    const inserted = signal();
    const foreignIssued = signal();
    const doomed = database().transaction(async (tx) => {
      await addProduct(tx, "inside");
      inserted.fire();
      await foreignIssued.fired;
      await pause(); // the foreign statement has every chance to reach the connection now
      throw new Error("abort");
    });
    // This code runs in the test's async context, like another request would.
    await inserted.fired;
    const foreign = addProduct(database().db, "outside");
    foreignIssued.fire();

    await expect(doomed).rejects.toThrow("abort");
    await foreign;
    expect(await slugs()).toEqual(["outside"]);
  });

  it("never shows a foreign read the uncommitted writes of an open transaction", async () => {
    const inserted = signal();
    const readIssued = signal();
    const doomed = database().transaction(async (tx) => {
      await addProduct(tx, "uncommitted");
      inserted.fire();
      await readIssued.fired;
      await pause();
      throw new Error("abort");
    });
    await inserted.fired;
    const foreignRead = slugs();
    readIssued.fire();

    await expect(doomed).rejects.toThrow("abort");
    expect(await foreignRead).toEqual([]);
  });

  it("joins a nested transaction call into the open transaction", async () => {
    const attempt = database().transaction(async (outer) => {
      await addProduct(outer, "outer");
      await database().transaction(async (inner) => {
        expect(inner).toBe(outer);
        await addProduct(inner, "inner");
      });
      throw new Error("abort after nested call");
    });
    await expect(attempt).rejects.toThrow("abort after nested call");
    expect(await slugs()).toEqual([]);

    await database().transaction(async (outer) => {
      await addProduct(outer, "outer");
      await database().transaction((inner) => addProduct(inner, "inner"));
    });
    expect(await slugs()).toEqual(["inner", "outer"]);
  });

  it("starts a fresh transaction after an earlier one has ended", async () => {
    await database().transaction((tx) => addProduct(tx, "first"));
    await expect(
      database().transaction(async (tx) => {
        await addProduct(tx, "second");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await database().transaction((tx) => addProduct(tx, "third"));
    expect(await slugs()).toEqual(["first", "third"]);
  });
});
