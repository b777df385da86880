import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoCatalog } from "@cartwheel/db";
import { count, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/services.ts";
import { captureLogs, createTestApp } from "./support/app.ts";

const countProducts = async (services: Awaited<ReturnType<typeof createServices>>) => {
  const { db, schema } = services.database;
  const [row] = await db.select({ n: count() }).from(schema.products);
  return row!.n;
};

describe("demo catalog on start", () => {
  it("is seeded into a fresh embedded SQLite file, once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-start-"));
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, "cartwheel.db")}`, AUTH_SECRET: "s".repeat(40) });
    try {
      const first = await createServices(config, captureLogs().logger);
      expect(await countProducts(first)).toBe(demoCatalog.length);
      const { db, schema } = first.database;
      // A developer deletes most of the catalog on purpose...
      await db.delete(schema.stockMovements);
      await db.delete(schema.products).where(ne(schema.products.slug, demoCatalog[0]!.slug));
      await first.database.close();

      const logs = captureLogs();
      const second = await createServices(config, logs.logger);
      expect(await countProducts(second)).toBe(1); // ...and it does not come back: only an empty catalog is seeded
      await second.database.close();
      expect(logs.text()).not.toContain("seeded the demo catalog");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is not seeded into an in-memory database (tests start empty)", async () => {
    const t = await createTestApp();
    try {
      expect(await countProducts(t.services)).toBe(0);
    } finally {
      await t.close();
    }
  });
});
