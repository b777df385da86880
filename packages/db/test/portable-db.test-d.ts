// The `Db` type is the portable subset: what both dialects run the same way. A PostgreSQL-only
// builder must not compile, since on SQLite it would fail only at run time. Each
// `@ts-expect-error` below fails the typecheck (vitest's typecheck pass and `npm run typecheck`)
// if the call it marks ever compiles; the lines without one must keep compiling.
import { eq, sql } from "drizzle-orm";
import { describe, expectTypeOf, it } from "vitest";
import type { Db, Schema } from "../src/database.ts";

declare const db: Db;
declare const s: Schema;

describe("the portable Db type", () => {
  it("offers select/insert/update/delete with returning", () => {
    const rows = db.select({ id: s.products.id }).from(s.products).where(eq(s.products.slug, "x")).limit(1);
    expectTypeOf(rows).resolves.toEqualTypeOf<{ id: string }[]>();
    const inserted = db
      .insert(s.products)
      .values({ slug: "x", name: "x", priceCents: 1 })
      .returning({ id: s.products.id });
    expectTypeOf(inserted).resolves.toEqualTypeOf<{ id: string }[]>();
    void db
      .insert(s.products)
      .values({ slug: "x", name: "x", priceCents: 1 })
      .onConflictDoNothing({ target: s.products.slug });
    void db
      .update(s.products)
      .set({ stock: sql`${s.products.stock} + 1` })
      .where(eq(s.products.id, "p"))
      .returning();
    void db.delete(s.products).where(eq(s.products.id, "p"));
  });

  it("has no PostgreSQL-only builders", () => {
    expectTypeOf<keyof Db>().toEqualTypeOf<"select" | "insert" | "update" | "delete">();
    // @ts-expect-error row locks are PostgreSQL-only (SQLite locks the whole database)
    void db.select().from(s.products).for("update");
    // @ts-expect-error ...also later in the chain
    void db.select().from(s.products).where(eq(s.products.id, "p")).limit(1).for("update");
    // @ts-expect-error DISTINCT ON is PostgreSQL-only
    void db.selectDistinctOn([s.products.slug]).from(s.products);
    // @ts-expect-error raw statements differ by dialect (`execute` vs `run`/`all`); use the builders or packages/db helpers
    void db.execute(sql`select 1`);
    // @ts-expect-error materialized views are PostgreSQL-only
    void db.refreshMaterializedView;
  });
});
