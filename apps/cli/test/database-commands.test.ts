// `db migrate`, `db seed` and `users create` work on a fresh SQLite file without a server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findUserIdByEmail } from "@cartwheel/auth";
import { createDatabase } from "@cartwheel/db";
import { createPiiBox, openUserRow, resolvePiiKeys } from "@cartwheel/pii";
import { testPiiEnv } from "@cartwheel/pii/testing";
import { eq } from "drizzle-orm";
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

  it("creates an account sealed under the server's development keys, found by its e-mail index", async () => {
    const created = await cartwheel(
      ["users", "create", "--email", " Root@Example.test", "--name", "Root Person", "--role", "admin"].concat([
        "--password-stdin",
        "--database-url",
        databaseUrl,
        "--json",
      ]),
      { input: "Root keeps the keys 7\n" },
    );
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };
    // The key file beside the SQLite file, where the server looks too.
    const { ring, indexKey } = resolvePiiKeys({ dataFolder: dir, production: false });
    const database = await createDatabase(databaseUrl);
    try {
      expect(await findUserIdByEmail(database, indexKey, "root@example.test")).toBe(id);
      const [row] = await database.db.select().from(database.schema.users).where(eq(database.schema.users.id, id));
      expect(row!.email).toMatch(/^pii1\./);
      expect(openUserRow(createPiiBox(ring), row!)).toMatchObject({ email: "root@example.test", name: "Root Person" });
    } finally {
      await database.close();
    }
  });

  it("refuses production without PII keys in one line, and takes them from the environment", async () => {
    const args = ["users", "create", "--email", "prod@example.test", "--password-stdin", "--database-url", databaseUrl];
    const input = "Production keeps keys 8\n";
    const refused = await cartwheel(args, { env: { NODE_ENV: "production" }, input });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([expect.stringContaining("PII_KEYS is required in production")]);
    const env = testPiiEnv();
    const created = await cartwheel([...args, "--json"], { env: { NODE_ENV: "production", ...env }, input });
    expect(created.code).toBe(0);
    const { indexKey } = resolvePiiKeys({
      piiKeys: env.PII_KEYS,
      piiIndexKey: env.PII_INDEX_KEY,
      dataFolder: null,
      production: true,
    });
    const database = await createDatabase(databaseUrl);
    try {
      expect(await findUserIdByEmail(database, indexKey, "prod@example.test")).toBe(
        (JSON.parse(created.stdout) as { id: string }).id,
      );
    } finally {
      await database.close();
    }
  });

  it("names the bad database URL in one line", async () => {
    const result = await cartwheel(["db", "migrate", "--database-url", "mysql://nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("DATABASE_URL must start with");
  });
});
