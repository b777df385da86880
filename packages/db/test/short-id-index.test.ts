// A short order id is found through orders_short_id_idx, on both dialects: the expression
// Database.idEndsWith writes must stay the one the index was built on, or every staff search
// by short id would quietly become a scan of all orders.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/index.ts";
import { createThrowawayDatabaseUrl, openPostgresSession, testBackends } from "../src/testing/index.ts";

const dir = mkdtempSync(join(tmpdir(), "cartwheel-short-id-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SQL and parameters of a search for orders ending in `suffix`, as the order service sends it. */
async function shortIdQuery(url: string, suffix: string) {
  const database = await createDatabase(url, { migrate: true });
  try {
    const o = database.schema.orders;
    return database.db.select({ id: o.id }).from(o).where(database.idEndsWith(o.id, suffix)).toSQL();
  } finally {
    await database.close();
  }
}

describe("orders_short_id_idx", () => {
  it("serves the last-8-digits search on SQLite, and the longer suffix through it", async () => {
    const url = `file:${join(dir, "shop.db")}`;
    for (const suffix of ["0123abcd", "ff0123abcd"]) {
      const query = await shortIdQuery(url, suffix);
      const raw = new BetterSqlite3(join(dir, "shop.db"), { readonly: true });
      try {
        const plan = raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
        expect(plan.map((step) => step.detail).join("\n")).toMatch(/USING INDEX orders_short_id_idx/);
      } finally {
        raw.close();
      }
    }
  });

  it.runIf(testBackends().includes("postgres"))("serves it on PostgreSQL", async () => {
    const { url, drop } = await createThrowawayDatabaseUrl();
    try {
      const query = await shortIdQuery(url, "0123abcd");
      const session = await openPostgresSession(url);
      try {
        // An empty table is cheaper to scan; what matters is that the index can answer at all.
        await session.query("set enable_seqscan = off");
        const { rows } = await session.query(`explain ${query.sql}`, query.params);
        expect(rows.map((row) => String(row["QUERY PLAN"])).join("\n")).toMatch(/orders_short_id_idx/);
      } finally {
        await session.end();
      }
    } finally {
      await drop();
    }
  });
});
