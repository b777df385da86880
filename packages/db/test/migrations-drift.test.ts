// Fails when someone edits a schema file but forgets `npm run db:generate` (or commits
// only one dialect's migration). drizzle-kit's programmatic API diffs the schema against
// the latest committed snapshot in memory: offline, no database, well under a second.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  generateDrizzleJson,
  generateMigration,
  generateSQLiteDrizzleJson,
  generateSQLiteMigration,
} from "drizzle-kit/api";
import { describe, expect, it } from "vitest";
import type { Dialect } from "../src/database.ts";
import { migrationsFolder } from "../src/migrations-path.ts";
import * as pgSchema from "../src/schema/pg.ts";
import * as sqliteSchema from "../src/schema/sqlite.ts";

interface Journal {
  dialect: string;
  entries: { idx: number; tag: string }[];
}

/** The snapshot drizzle-kit wrote with the newest journal entry, i.e. what the migrations produce. */
function latestSnapshot(dialect: Dialect) {
  const folder = migrationsFolder(dialect);
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  for (const entry of journal.entries) {
    expect({ [`${entry.tag}.sql`]: existsSync(join(folder, `${entry.tag}.sql`)) }).toEqual({
      [`${entry.tag}.sql`]: true,
    });
  }
  const last = journal.entries.at(-1);
  if (!last) throw new Error(`${folder} has no migrations`);
  const file = join(folder, "meta", `${last.tag.split("_")[0]}_snapshot.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

// On failure: run `npm run db:generate` and commit the new migration files.
describe("committed migrations match the schema", () => {
  it("pg: generating a migration now would produce no statements", async () => {
    const committed = latestSnapshot("postgres");
    const current = generateDrizzleJson(pgSchema, committed.id);
    expect(await generateMigration(committed, current)).toEqual([]);
  });

  it("sqlite: generating a migration now would produce no statements", async () => {
    const committed = latestSnapshot("sqlite");
    const current = await generateSQLiteDrizzleJson(sqliteSchema, committed.id);
    expect(await generateSQLiteMigration(committed, current)).toEqual([]);
  });
});
