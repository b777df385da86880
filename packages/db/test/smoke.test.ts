import { describe, expect, it } from "vitest";
import { openTestDatabase, testBackends } from "../src/testing/index.ts";

describe.each(testBackends())("smoke on %s", (backend) => {
  it("inserts and reads a product with Date timestamps", async () => {
    const database = await openTestDatabase(backend);
    try {
      const { db, schema } = database;
      const [row] = await db
        .insert(schema.products)
        .values({ slug: "a", name: "A", priceCents: 100, stock: 3 })
        .returning();
      expect(row?.createdAt).toBeInstanceOf(Date);
      const rows = await db.select().from(schema.products);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.currency).toBe("USD");
    } finally {
      await database.close();
    }
  });
});
