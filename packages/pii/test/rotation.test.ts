// Rotation on real databases: every value ends under the active key and still opens, rows
// never sealed get sealed, a stopped run resumes, a row changed meanwhile is left to its
// writer, and the check counts values per key so an old key is dropped only when empty.
import { type Database, newId } from "@cartwheel/db";
import { openTestDatabase, testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backfillEmailIndex,
  createPiiBox,
  emailIndex,
  generateIndexKey,
  generateKeyRingEntry,
  keyIdOf,
  parseIndexKey,
  parseKeyRing,
  PII_FIELDS,
  piiKeyUsage,
  PiiKeyUnknownError,
  PLAINTEXT,
  rotatePii,
  sealedColumns,
  unindexedUsers,
} from "../src/index.ts";

const entry = (id: string, active: boolean) => generateKeyRingEntry(id, { active });

describe.each(testBackends({ sqlite: "file" }))("PII rotation on %s", (backend) => {
  let database: Database & { close(): Promise<void> };
  const k1 = entry("k_1", true);
  const k2 = entry("k2", true);
  const oldRing = createPiiBox(parseKeyRing(k1));
  const newRing = createPiiBox(parseKeyRing(`${k2},${k1.replace(/:active$/, "")}`));
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const [user] = await database.db
      .insert(database.schema.users)
      .values({ email: "rotate@example.test", passwordHash: "x", name: "R" })
      .returning({ id: database.schema.users.id });
    userId = user!.id;
  });
  afterAll(() => database.close());

  async function addAddresses(values: string[]) {
    const { addresses } = database.schema;
    const ids = values.map(() => newId());
    await database.db
      .insert(addresses)
      .values(values.map((address, i) => ({ id: ids[i]!, userId, address, createdAt: new Date() })));
    return ids;
  }

  const addressOf = async (id: string) => {
    const { addresses } = database.schema;
    const [row] = await database.db.select().from(addresses).where(eq(addresses.id, id));
    return row!.address;
  };

  it("moves every value to the active key, seals plaintext, and the check then finds the old key empty", async () => {
    const field = PII_FIELDS.savedAddress;
    const sealed = await addAddresses(Array.from({ length: 7 }, (_, i) => oldRing.seal(field, `address ${i}`)));
    const [plain] = await addAddresses(['{"name":"Written before sealing"}']);
    expect(await piiKeyUsage(database, ["k2", "k_1"])).toContainEqual({
      field,
      byKey: { k2: 0, k_1: 7, [PLAINTEXT]: 1 },
    });

    const seen: number[] = [];
    const results = await rotatePii(database, newRing, { batchSize: 3, onProgress: (p) => seen.push(p.resealed) });
    expect(results.find((result) => result.field === field)).toEqual({ field, resealed: 8, skipped: 0 });
    expect(seen.length).toBeGreaterThanOrEqual(3); // batches of 3 report as they go

    for (const [i, id] of sealed.entries()) {
      const value = await addressOf(id);
      expect(value.startsWith("pii1.k2.")).toBe(true);
      expect(newRing.open(field, value)).toBe(`address ${i}`);
    }
    expect(newRing.open(field, await addressOf(plain!))).toBe('{"name":"Written before sealing"}');
    expect(await piiKeyUsage(database, ["k2", "k_1"])).toContainEqual({ field, byKey: { k2: 8, k_1: 0 } });
    // A second run has nothing to do.
    expect((await rotatePii(database, newRing)).every((result) => result.resealed === 0)).toBe(true);
  });

  it("resumes where a stopped run left off", async () => {
    const field = PII_FIELDS.savedAddress;
    const ids = await addAddresses(Array.from({ length: 6 }, (_, i) => oldRing.seal(field, `resume ${i}`)));
    const stop = new Error("operator pressed ctrl-c");
    await expect(
      rotatePii(database, newRing, {
        batchSize: 2,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const underNew = async () => (await Promise.all(ids.map(addressOf))).filter((v) => v.startsWith("pii1.k2.")).length;
    expect(await underNew()).toBe(2);
    await rotatePii(database, newRing, { batchSize: 2 });
    expect(await underNew()).toBe(6);
  });

  it("leaves a row that changed since it was read to the write that changed it", async () => {
    const field = PII_FIELDS.savedAddress;
    const [id] = await addAddresses([oldRing.seal(field, "before")]);
    const live = newRing.seal(field, "written by a live request");
    const column = sealedColumns(database).find((candidate) => candidate.field === field)!;
    await database.db
      .update(database.schema.addresses)
      .set({ address: live })
      .where(eq(database.schema.addresses.id, id!));
    const stale = await column.replace(database.db, id!, "the value the rotation had read", "its reseal");
    expect(stale).toBe(false);
    expect(await addressOf(id!)).toBe(live);
  });

  it("stops on a value under a key the ring lacks, so nobody drops a key still in use", async () => {
    const stranger = createPiiBox(parseKeyRing(entry("gone", true)));
    const [id] = await addAddresses([stranger.seal(PII_FIELDS.savedAddress, "sealed under a lost key")]);
    await expect(rotatePii(database, newRing)).rejects.toBeInstanceOf(PiiKeyUnknownError);
    const usage = await piiKeyUsage(database, ["k2", "k_1"]);
    expect(usage.find((counted) => counted.field === PII_FIELDS.savedAddress)!.byKey["(unknown key)"]).toBe(1);
    await database.db.delete(database.schema.addresses).where(eq(database.schema.addresses.id, id!));
  });

  it("seals users and sessions written before sealing, then gives every account its e-mail index", async () => {
    const { users, sessions } = database.schema;
    const indexKey = parseIndexKey(generateIndexKey());
    const plain = Array.from({ length: 5 }, (_, i) => ({ email: `before-${i}@example.test`, name: `Before ${i}` }));
    const ids = (
      await database.db
        .insert(users)
        .values(plain.map((user) => ({ ...user, passwordHash: "x" })))
        .returning({ id: users.id })
    ).map((row) => row.id);
    const at = new Date();
    const [session] = await database.db
      .insert(sessions)
      .values({
        userId: ids[0]!,
        ip: "192.0.2.81",
        userAgent: "Before/1",
        lastUsedAt: at,
        expiresAt: at,
        absoluteExpiresAt: at,
      })
      .returning({ id: sessions.id });
    expect(await unindexedUsers(database)).toBeGreaterThanOrEqual(5);

    const indexing: number[] = [];
    await rotatePii(database, newRing, {
      indexKey,
      batchSize: 2,
      onEmailIndexProgress: (progress) => indexing.push(progress.indexed),
    });
    expect(indexing.length).toBeGreaterThanOrEqual(3); // batches of 2 report as they go
    expect(await unindexedUsers(database)).toBe(0);
    for (const [i, id] of ids.entries()) {
      const [row] = await database.db.select().from(users).where(eq(users.id, id));
      expect([keyIdOf(row!.email), keyIdOf(row!.name)]).toEqual(["k2", "k2"]);
      expect(newRing.open(PII_FIELDS.userEmail, row!.email)).toBe(plain[i]!.email);
      expect(newRing.open(PII_FIELDS.userName, row!.name)).toBe(plain[i]!.name);
      expect(row!.emailIndex).toBe(emailIndex(indexKey, plain[i]!.email));
    }
    const [sealed] = await database.db.select().from(sessions).where(eq(sessions.id, session!.id));
    expect(newRing.open(PII_FIELDS.sessionIp, sealed!.ip!)).toBe("192.0.2.81");
    expect(newRing.open(PII_FIELDS.sessionUserAgent, sealed!.userAgent!)).toBe("Before/1");
    const usage = await piiKeyUsage(database, ["k2", "k_1"]);
    for (const field of [
      PII_FIELDS.userEmail,
      PII_FIELDS.userName,
      PII_FIELDS.sessionIp,
      PII_FIELDS.sessionUserAgent,
    ]) {
      expect(usage.find((counted) => counted.field === field)!.byKey[PLAINTEXT]).toBeUndefined();
    }
    // Nothing left: a second pass indexes nothing.
    expect(await backfillEmailIndex(database, newRing, indexKey)).toEqual({ indexed: 0, skipped: 0, duplicates: [] });
  });
});
