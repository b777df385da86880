import { newId } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PURGE_BATCH, purgeEndedCredentials } from "../src/retention.ts";
import { SESSION_ABSOLUTE_SECONDS } from "../src/sessions.ts";
import { type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

const DAY = 24 * 60 * 60;

describe.each(testBackends())("credential retention on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => h.database.close());

  const sessionIds = async (ids: string[]) => {
    const { db, schema: s } = h.database;
    const rows = await db.select({ id: s.sessions.id }).from(s.sessions).where(inArray(s.sessions.id, ids));
    return rows.map((row) => row.id).toSorted();
  };
  const tokenRows = async (sessionId: string) => {
    const { db, schema: s } = h.database;
    return db.select().from(s.refreshTokens).where(eq(s.refreshTokens.sessionId, sessionId));
  };

  it("deletes sessions ended more than the retention period ago with their refresh tokens, and keeps the rest", async () => {
    const { userId, sessionOf } = await accountWithSessions(h, 3);
    const [old, recentlyRevoked, live] = sessionOf;
    await h.auth.revokeSession(userId, old!);
    h.clock.advance(31 * DAY);
    await h.auth.revokeSession(userId, recentlyRevoked!);
    expect((await tokenRows(old!)).length).toBeGreaterThan(0);

    const purged = await purgeEndedCredentials({ database: h.database, now: h.clock.now }, 30);
    expect(purged.sessions).toBe(1);
    expect(await sessionIds(sessionOf)).toEqual([recentlyRevoked!, live!].toSorted());
    expect(await tokenRows(old!)).toEqual([]);
    expect((await tokenRows(live!)).length).toBeGreaterThan(0);

    // Past its absolute lifetime plus the retention period, even an unrevoked session goes.
    h.clock.advance(SESSION_ABSOLUTE_SECONDS + 31 * DAY);
    const later = await purgeEndedCredentials({ database: h.database, now: h.clock.now }, 30);
    expect(later.sessions).toBe(2);
    expect(await sessionIds(sessionOf)).toEqual([]);
  });

  it("deletes used and expired account tokens after the period, never a live one", async () => {
    const { userId } = await accountWithSessions(h, 1);
    const used = await h.auth.accountTokens.issue({ purpose: "email_verification", userId, id: newId() });
    await h.auth.verifyEmail({ token: used });
    await h.auth.accountTokens.issue({ purpose: "password_reset", userId, id: newId() }); // expires unused
    h.clock.advance(31 * DAY);
    const live = await h.auth.accountTokens.issue({ purpose: "email_verification", userId, id: newId() });

    expect(await purgeEndedCredentials({ database: h.database, now: h.clock.now }, 30)).toMatchObject({
      accountTokens: 2,
    });
    const { db, schema: s } = h.database;
    const left = await db.select({ id: s.accountTokens.id }).from(s.accountTokens);
    expect(left.map((row) => row.id)).toEqual([live.split(".")[0]]);
  });

  it("works through more rows than one batch", async () => {
    const { userId } = await accountWithSessions(h, 1);
    const { db, schema: s } = h.database;
    const at = h.clock.now();
    const rows = Array.from({ length: PURGE_BATCH + 3 }, () => ({
      id: newId(),
      userId,
      purpose: "password_reset" as const,
      secretHash: "0".repeat(64),
      createdAt: at,
      expiresAt: at,
    }));
    for (let i = 0; i < rows.length; i += 200) await db.insert(s.accountTokens).values(rows.slice(i, i + 200));
    h.clock.advance(31 * DAY);
    expect(await purgeEndedCredentials({ database: h.database, now: h.clock.now }, 30)).toMatchObject({
      accountTokens: PURGE_BATCH + 3,
    });
  }, 60_000);
});

/** A registered account with `count` sessions (registration's own included). */
async function accountWithSessions(h: Harness, count: number) {
  const account = newAccount();
  const first = await signUp(h.auth, account, meta);
  const sessionOf = [first];
  for (let i = 1; i < count; i++) sessionOf.push(await h.auth.login(account, meta));
  const ids = sessionOf.map((signedIn) => sessionIdOf(h, signedIn.accessToken));
  return { userId: first.user.id, sessionOf: await Promise.all(ids) };
}

async function sessionIdOf(h: Harness, accessToken: string): Promise<string> {
  const actor = await h.auth.authenticate(accessToken);
  if (actor?.kind !== "user" || !actor.sessionId) throw new Error("the access token does not authenticate");
  return actor.sessionId;
}
