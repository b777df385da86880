// Database.utcDay: the UTC calendar day of a timestamp column, the same on both dialects, so
// a row just before midnight UTC counts on its own day and one at midnight on the next.
import { asc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openTestDatabase, testBackends } from "../src/testing/index.ts";

describe.each(testBackends())("utcDay on %s", (backend) => {
  it("gives the UTC day of a timestamp near midnight, and groups by it", async () => {
    const database = await openTestDatabase(backend);
    try {
      const { db, schema } = database;
      const p = schema.products;
      const times = [
        "2026-03-01T23:59:59.999Z",
        "2026-03-02T00:00:00.000Z",
        "2026-03-02T00:00:00.001Z",
        "2026-12-31T23:59:59.000Z",
      ];
      await db.insert(p).values(
        times.map((time, index) => ({
          slug: `p-${index}`,
          name: `P ${index}`,
          priceCents: 100,
          createdAt: new Date(time),
        })),
      );
      const rows = await db
        .select({ slug: p.slug, day: database.utcDay(p.createdAt) })
        .from(p)
        .orderBy(asc(p.slug));
      expect(rows).toEqual([
        { slug: "p-0", day: "2026-03-01" },
        { slug: "p-1", day: "2026-03-02" },
        { slug: "p-2", day: "2026-03-02" },
        { slug: "p-3", day: "2026-12-31" },
      ]);
      const day = database.utcDay(p.createdAt);
      const grouped = await db
        .select({ day, count: sql`count(*)`.mapWith(Number) })
        .from(p)
        .groupBy(day)
        .orderBy(day);
      expect(grouped).toEqual([
        { day: "2026-03-01", count: 1 },
        { day: "2026-03-02", count: 2 },
        { day: "2026-12-31", count: 1 },
      ]);
    } finally {
      await database.close();
    }
  });
});
