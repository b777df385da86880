// A transaction's `tx` refuses queries once its callback has returned, on every backend. On a
// pool the connection is back in the pool by then, and a late query there ran inside another
// request's transaction (and was rolled back with it) while its own caller was told it worked.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../src/database.ts";
import { placeholder } from "../src/prepared.ts";
import { TransactionEndedError } from "../src/query-errors.ts";
import { testBackends } from "../src/testing/index.ts";
import { sharedCatalogDatabase } from "./shared-database.ts";

const product = (slug: string) => ({ slug, name: slug, priceCents: 100 });

describe.each(testBackends({ sqlite: "both" }))("a transaction handle after its callback on %s", (backend) => {
  const database = sharedCatalogDatabase(backend);

  async function endedHandle(): Promise<Db> {
    let handle: Db | undefined;
    await database().transaction(async (tx) => {
      handle = tx;
    });
    return handle!;
  }

  const slugs = async () =>
    (await database().db.select({ slug: database().schema.products.slug }).from(database().schema.products)).map(
      (row) => row.slug,
    );

  it("refuses reads and writes with TransactionEndedError, and writes nothing", async () => {
    const { products } = database().schema;
    const tx = await endedHandle();
    await expect(tx.select().from(products)).rejects.toBeInstanceOf(TransactionEndedError);
    await expect(tx.insert(products).values(product("late"))).rejects.toBeInstanceOf(TransactionEndedError);
    await expect(tx.update(products).set({ name: "x" })).rejects.toBeInstanceOf(TransactionEndedError);
    await expect(tx.delete(products)).rejects.toBeInstanceOf(TransactionEndedError);
    expect(await slugs()).toEqual([]);
  });

  it("refuses a query built inside the callback but run after it", async () => {
    const { products } = database().schema;
    let runLate: (() => Promise<unknown>) | undefined;
    await database().transaction(async (tx) => {
      await tx.insert(products).values(product("inside"));
      const late = tx.insert(products).values(product("late")); // built now, awaited below
      runLate = () => late.execute();
    });
    await expect(runLate!()).rejects.toBeInstanceOf(TransactionEndedError);
    expect(await slugs()).toEqual(["inside"]);
  });

  it("refuses a prepared query run with the ended handle", async () => {
    const { products } = database().schema;
    const bySlug = database().prepared((db) =>
      db
        .select({ id: products.id })
        .from(products)
        .where(eq(products.slug, placeholder(products.slug, "slug"))),
    );
    const tx = await endedHandle();
    await expect(bySlug(tx, { slug: "x" })).rejects.toBeInstanceOf(TransactionEndedError);
    expect(await bySlug(database().db, { slug: "x" })).toEqual([]); // the query itself is fine
  });

  it("keeps a late query out of the next transaction, which commits on its own", async () => {
    const { products } = database().schema;
    let leaked: Db | undefined;
    let lateOutcome: Promise<unknown> | undefined;
    await database().transaction(async (tx) => {
      leaked = tx;
    });
    await database().transaction(async (tx) => {
      // Another request's transaction is open (on a pool, possibly on the same connection).
      lateOutcome = leaked!
        .insert(products)
        .values(product("late"))
        .then(
          () => "ran",
          (error: unknown) => error,
        );
      await tx.insert(products).values(product("next"));
    });
    expect(await lateOutcome).toBeInstanceOf(TransactionEndedError);
    expect(await slugs()).toEqual(["next"]);
  });

  it("still lets a nested call join the open transaction and share its handle's lifetime", async () => {
    const { products } = database().schema;
    let inner: Db | undefined;
    await database().transaction(async () => {
      await database().transaction(async (tx) => {
        inner = tx;
        await tx.insert(products).values(product("nested"));
      });
      // The inner callback returned, but the transaction it joined is still open.
      await inner!.insert(products).values(product("after-inner"));
    });
    expect((await slugs()).toSorted()).toEqual(["after-inner", "nested"]);
    await expect(inner!.select().from(products)).rejects.toBeInstanceOf(TransactionEndedError);
  });
});
