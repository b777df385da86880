// Accounts at rest: the name and address are sealed and the address found by its blind index,
// sessions keep their IP and user agent sealed, a wrong key or a changed byte fails loudly
// (never as garbage), and accounts from before sealing sign in once rotation has run.
import { testBackends } from "@cartwheel/db/testing";
import {
  emailIndex,
  keyIdOf,
  PII_FIELDS,
  PiiDuplicateEmailError,
  PiiError,
  PiiIntegrityError,
  rotatePii,
} from "@cartwheel/pii";
import { testPii } from "@cartwheel/pii/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthService, findUserIdByEmail, hashPassword } from "../src/index.ts";
import { caught, capturedLogger, type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

describe.each(testBackends())("users' personal data on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(() => h.database.close());

  it("stores the name, address, IP and user agent sealed, and finds the account by the address's index", async () => {
    const { db, schema: s } = h.database;
    const account = newAccount();
    const { user } = await signUp(h.auth, account, { ip: "198.51.100.23", userAgent: "Sealed/1.0" });
    const [row] = await db.select().from(s.users).where(eq(s.users.id, user.id));
    expect(keyIdOf(row!.email)).toBe("test");
    expect(keyIdOf(row!.name)).toBe("test");
    expect(row!.emailIndex).toBe(emailIndex(h.pii.emailIndexKey, account.email));
    expect(h.pii.pii.open(PII_FIELDS.userEmail, row!.email)).toBe(account.email);
    const [session] = await db.select().from(s.sessions).where(eq(s.sessions.userId, user.id));
    expect(h.pii.pii.open(PII_FIELDS.sessionIp, session!.ip!)).toBe("198.51.100.23");
    expect(h.pii.pii.open(PII_FIELDS.sessionUserAgent, session!.userAgent!)).toBe("Sealed/1.0");
    expect(await findUserIdByEmail(h.database, h.pii.emailIndexKey, ` ${account.email.toUpperCase()}`)).toBe(user.id);
    expect(await findUserIdByEmail(h.database, testPii().emailIndexKey, account.email)).toBeNull();
  });

  it("fails with a PiiError under a wrong key or on a changed byte, never with garbage", async () => {
    const { db, schema: s } = h.database;
    const account = newAccount();
    const { user } = await signUp(h.auth, account);
    const stranger = createAuthService({
      database: h.database,
      now: h.clock.now,
      logger: capturedLogger().logger,
      secret: crypto.getRandomValues(new Uint8Array(32)),
      ...testPii(),
    });
    await expect(stranger.me(user.id)).rejects.toBeInstanceOf(PiiIntegrityError);
    await expect(stranger.sessions(user.id, null)).rejects.toBeInstanceOf(PiiError);
    // Another index key does not find the address at all: the sign-in fails as for a stranger.
    expect((await caught(stranger.login(account, meta))).reason).toBe("invalid_credentials");

    const [row] = await db.select({ name: s.users.name }).from(s.users).where(eq(s.users.id, user.id));
    const flipped = `${row!.name.slice(0, -2)}${row!.name.at(-2) === "A" ? "B" : "A"}${row!.name.at(-1)}`;
    await db.update(s.users).set({ name: flipped }).where(eq(s.users.id, user.id));
    await expect(h.auth.me(user.id)).rejects.toBeInstanceOf(PiiIntegrityError);
    // A sealed e-mail copied into the name column does not open there either.
    const [sealed] = await db.select({ email: s.users.email }).from(s.users).where(eq(s.users.id, user.id));
    await db.update(s.users).set({ name: sealed!.email }).where(eq(s.users.id, user.id));
    await expect(h.auth.me(user.id)).rejects.toBeInstanceOf(PiiIntegrityError);
  });

  it("signs in accounts written before sealing once rotation has sealed and indexed them", async () => {
    const { db, schema: s } = h.database;
    const account = newAccount();
    const passwordHash = await hashPassword(account.password);
    const [old] = await db
      .insert(s.users)
      .values({ email: account.email, passwordHash, name: "Written before sealing", role: "customer" })
      .returning({ id: s.users.id });
    const at = h.clock.now();
    await db.insert(s.sessions).values({
      userId: old!.id,
      ip: "192.0.2.44",
      userAgent: "Old/0.9",
      lastUsedAt: at,
      expiresAt: new Date(at.getTime() + 3_600_000),
      absoluteExpiresAt: new Date(at.getTime() + 3_600_000),
    });
    expect((await caught(h.auth.login(account, meta))).reason).toBe("invalid_credentials"); // no index yet

    await rotatePii(h.database, h.pii.pii, { indexKey: h.pii.emailIndexKey, batchSize: 2 });
    const [row] = await db.select().from(s.users).where(eq(s.users.id, old!.id));
    expect([keyIdOf(row!.email), keyIdOf(row!.name)]).toEqual(["test", "test"]);
    const signedIn = await h.auth.login(account, meta);
    expect(signedIn.user).toMatchObject({ id: old!.id, email: account.email, name: "Written before sealing" });
    const sessions = await h.auth.sessions(old!.id, null);
    expect(sessions.map((session) => [session.ip, session.userAgent])).toContainEqual(["192.0.2.44", "Old/0.9"]);
  });

  it("leaves two old accounts whose addresses differ only in case to a person, indexing the rest", async () => {
    const { db, schema: s } = h.database;
    const [first, second] = await db
      .insert(s.users)
      .values([
        { email: "twice@example.com", passwordHash: "x", name: "First" },
        { email: "Twice@Example.com", passwordHash: "x", name: "Second" },
      ])
      .returning({ id: s.users.id });
    const error = await rotatePii(h.database, h.pii.pii, { indexKey: h.pii.emailIndexKey }).then(
      () => null,
      (caughtError: unknown) => caughtError,
    );
    expect(error).toBeInstanceOf(PiiDuplicateEmailError);
    expect((error as PiiDuplicateEmailError).userIds).toEqual([second!.id]);
    expect((error as Error).message).not.toMatch(/twice/i);
    expect(await findUserIdByEmail(h.database, h.pii.emailIndexKey, "TWICE@example.com")).toBe(first!.id);
  });
});
