// DATABASE_READ_URLS: `reader` sends selects to a replica, everything else to the primary.
// The "replica" here is a second throwaway database that nothing replicates into, so each
// row tells which server a query reached.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/create-database.ts";
import type { Database } from "../src/database.ts";
import { createThrowawayDatabaseUrl, openTestDatabase, testBackends } from "../src/testing/index.ts";

describe.each(testBackends())("reader without replicas on %s", (backend) => {
  it("is the primary itself", async () => {
    const database = await openTestDatabase(backend);
    try {
      expect(database.reader).toBe(database.db);
    } finally {
      await database.close();
    }
  });
});

const user = (email: string) => ({ email, passwordHash: "x", name: email.split("@")[0]! });

describe.each(testBackends().filter((backend) => backend === "postgres"))("read replicas on %s", () => {
  let primary: Awaited<ReturnType<typeof createThrowawayDatabaseUrl>>;
  let replica: Awaited<ReturnType<typeof createThrowawayDatabaseUrl>>;
  let database: Database;

  beforeAll(async () => {
    primary = await createThrowawayDatabaseUrl();
    replica = await createThrowawayDatabaseUrl();
    // Production never migrates on open; here each server gets the schema explicitly.
    await (await createDatabase(replica.url, { migrate: true })).close();
    database = await createDatabase(primary.url, { migrate: true, readUrls: [replica.url] });
    const onReplica = await createDatabase(replica.url);
    try {
      await onReplica.db.insert(onReplica.schema.users).values(user("only-on-replica@example.test"));
    } finally {
      await onReplica.close();
    }
  });

  afterAll(async () => {
    await database?.close();
    await primary?.drop();
    await replica?.drop();
  });

  it("sends reader selects to the replica and db selects to the primary", async () => {
    const { db, reader, schema: s } = database;
    await db.insert(s.users).values(user("written-to-primary@example.test"));
    const emails = async (target: typeof db) =>
      (await target.select({ email: s.users.email }).from(s.users)).map((row) => row.email);
    expect(await emails(reader)).toEqual(["only-on-replica@example.test"]);
    expect(await emails(db)).toEqual(["written-to-primary@example.test"]);
  });

  it("sends writes made through the reader to the primary", async () => {
    const { db, reader, schema: s } = database;
    const [row] = await reader.insert(s.users).values(user("via-reader@example.test")).returning({ id: s.users.id });
    const onPrimary = await db
      .select({ id: s.users.id })
      .from(s.users)
      .where(eq(s.users.email, "via-reader@example.test"));
    expect(onPrimary).toEqual([{ id: row!.id }]);
  });

  it("runs transactions on the primary", async () => {
    const seen = await database.transaction(async (tx) => {
      await tx.insert(database.schema.users).values(user("in-transaction@example.test"));
      return tx.select({ email: database.schema.users.email }).from(database.schema.users);
    });
    expect(seen.map((row) => row.email)).toContain("in-transaction@example.test");
    expect(seen.map((row) => row.email)).not.toContain("only-on-replica@example.test");
  });

  it("pings and labels every server", async () => {
    await expect(database.ping()).resolves.toBeUndefined();
    expect(database.label).toMatch(/\(\+1 read replicas\)$/);
  });
});
