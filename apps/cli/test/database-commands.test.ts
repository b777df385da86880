// `db migrate` and `db seed` work on a fresh SQLite file without a server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt } from "./harness.ts";

const dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-db-"));
const databaseUrl = `file:${join(dir, "fresh.db")}`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cartwheel db", () => {
  ensureBuilt();

  it("migrates, then seeds the demo catalog once", async () => {
    const migrated = await cartwheel(["db", "migrate", "--database-url", databaseUrl]);
    expect(migrated.stderr).toContain("Migrations are up to date");
    expect(migrated.code).toBe(0);

    const first = await cartwheel(["db", "seed", "--database-url", databaseUrl, "--json"]);
    expect(first.code).toBe(0);
    const { inserted } = JSON.parse(first.stdout) as { inserted: number; existing: number };
    expect(inserted).toBeGreaterThanOrEqual(50);

    const second = await cartwheel(["db", "seed", "--database-url", databaseUrl, "--json"]);
    expect(JSON.parse(second.stdout)).toEqual({ inserted: 0, existing: inserted });
  });

  it("refuses a weak bootstrap password in one line", async () => {
    const result = await cartwheel(
      ["users", "create", "--email", "boss@example.test", "--password-stdin", "--database-url", databaseUrl],
      { input: "password\n" },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: password refused: /)]);
  });

  it("names the bad database URL in one line", async () => {
    const result = await cartwheel(["db", "migrate", "--database-url", "mysql://nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("DATABASE_URL must start with");
  });
});
