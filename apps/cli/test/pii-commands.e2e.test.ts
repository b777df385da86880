// `cartwheel pii check` and `cartwheel pii rotate` as an operator runs them, on a SQLite file
// and (with TEST_DATABASE_URL, always under CI) a throwaway PostgreSQL database:
// an account created under one key, a row written before sealing (plaintext, no e-mail
// index), then a rotation to a new key after which the old key holds nothing and the account
// still signs in by its address.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findUserIdByEmail } from "@cartwheel/auth";
import { createDatabase } from "@cartwheel/db";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import {
  generateIndexKey,
  generateKeyRingEntry,
  openUserRow,
  createPiiBox,
  parseKeyRing,
  parseIndexKey,
} from "@cartwheel/pii";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, ensureBuilt } from "./harness.ts";

const backends =
  process.env.TEST_DATABASE_URL || process.env.CI === "true"
    ? (["sqlite", "postgres"] as const)
    : (["sqlite"] as const);

const oldEntry = generateKeyRingEntry("2026a");
const newEntry = generateKeyRingEntry("2027a");
const PII_INDEX_KEY = generateIndexKey();
const before = { PII_KEYS: oldEntry, PII_INDEX_KEY };
const after = { PII_KEYS: `${newEntry},${oldEntry.replace(/:active$/, "")}`, PII_INDEX_KEY };

interface Usage {
  activeKeyId: string;
  columns: { field: string; byKey: Record<string, number> }[];
}
const column = (usage: Usage, field: string) => usage.columns.find((entry) => entry.field === field)!.byKey;

describe.each(backends)("cartwheel pii on %s", (backend) => {
  let dir = "";
  let databaseUrl = "";
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), `cartwheel-cli-pii-${backend}-`));
    databaseUrl = `file:${join(dir, "shop.db")}`;
    if (backend === "postgres") {
      const throwaway = await createThrowawayDatabaseUrl();
      [databaseUrl, dropDatabase] = [throwaway.url, throwaway.drop];
      // As a deploy's migrate step: nothing migrates PostgreSQL on open.
      const migrated = await cartwheel(["db", "migrate", "--database-url", databaseUrl]);
      if (migrated.code !== 0) throw new Error(`db migrate failed: ${migrated.stderr}`);
    }
  });
  afterAll(async () => {
    await dropDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds plaintext, rotates everything to the new key, and then reports the old key empty", async () => {
    const created = await cartwheel(
      [
        "users",
        "create",
        "--email",
        "ops@example.test",
        "--name",
        "Olive Ops",
        "--role",
        "admin",
        "--password-stdin",
      ].concat(["--database-url", databaseUrl, "--json"]),
      { input: "Olive keeps the keys 9\n", env: before },
    );
    expect(created.code).toBe(0);
    // A row as an older release wrote it: name and address in the clear, no index.
    const database = await createDatabase(databaseUrl);
    const { users } = database.schema;
    await database.db
      .insert(users)
      .values({ email: "legacy@example.test", passwordHash: "x", name: "Lena Legacy", createdAt: new Date() });

    const dirty = await cartwheel(["pii", "check", "--database-url", databaseUrl], { env: before });
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/users\.email\s+1\s+1/);
    expect(dirty.stderr).toMatch(/Not sealed under PII_KEYS: 1 in users\.name \(\(plaintext\)\), 1 in users\.email/);

    const rotated = await cartwheel(["pii", "rotate", "--database-url", databaseUrl, "--json"], { env: after });
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain("resealed under 2027a");
    const result = JSON.parse(rotated.stdout) as {
      activeKeyId: string;
      columns: { field: string; resealed: number }[];
    };
    expect(result.activeKeyId).toBe("2027a");
    expect(result.columns.find((entry) => entry.field === "users.email")!.resealed).toBe(2);

    const clean = await cartwheel(["pii", "check", "--database-url", databaseUrl, "--json"], { env: after });
    expect(clean.code).toBe(0);
    const usage = JSON.parse(clean.stdout) as Usage;
    expect(column(usage, "users.email")).toEqual({ "2027a": 2, "2026a": 0 });
    expect(column(usage, "users.name")).toEqual({ "2027a": 2, "2026a": 0 });
    const table = await cartwheel(["pii", "check", "--database-url", databaseUrl], { env: after });
    expect(table.stderr).toContain("No value is sealed under 2026a: it can be removed from PII_KEYS.");

    const indexKey = parseIndexKey(PII_INDEX_KEY);
    const legacyId = await findUserIdByEmail(database, indexKey, "Legacy@Example.test");
    expect(legacyId).not.toBeNull();
    const [legacy] = await database.db.select().from(users).where(eq(users.id, legacyId!));
    expect(legacy!.email.startsWith("pii1.2027a.")).toBe(true);
    const box = createPiiBox(parseKeyRing(after.PII_KEYS));
    expect(openUserRow(box, legacy!)).toMatchObject({ email: "legacy@example.test", name: "Lena Legacy" });
    await database.close();

    // Run again: nothing left to do, and nothing breaks.
    const again = await cartwheel(["pii", "rotate", "--database-url", databaseUrl, "--json"], { env: after });
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { columns: { resealed: number }[] }).columns.every((c) => c.resealed === 0),
    ).toBe(true);
  });

  it("refuses to run in production without keys, before touching the database", async () => {
    const result = await cartwheel(["pii", "check", "--database-url", databaseUrl], {
      env: { NODE_ENV: "production" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PII_KEYS is required in production/);
  });
});
