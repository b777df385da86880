// Sign-in, refresh rotation, reuse detection, grace window, expiry and revocation.
import { DomainError, type ErrorReason } from "@cartwheel/contracts";
import { testBackends } from "@cartwheel/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  REFRESH_GRACE_SECONDS,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
} from "../src/index.ts";
import { type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

const DAY = 24 * 60 * 60;

async function rejectsWith<R extends ErrorReason>(promise: Promise<unknown>, reason: R): Promise<DomainError<R>> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).reason).toBe(reason);
  return error as DomainError<R>;
}

describe.each(testBackends())("auth sessions on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => {
    await h.database.close();
  });

  it("registers a customer whose access token authenticates and whose profile is readable", async () => {
    const account = newAccount();
    const result = await signUp(h.auth, { ...account, email: `  ${account.email.toUpperCase()} ` }, meta);
    expect(result.user).toMatchObject({ email: account.email, role: "customer", name: "Test" });
    expect(result.refreshToken).toMatch(/^[0-9a-f-]{36}\.[a-z2-7]{32}$/);
    expect(result.accessTokenExpiresAt.getTime() - h.clock.now().getTime()).toBe(ACCESS_TOKEN_TTL_SECONDS * 1000);
    const actor = await h.auth.authenticate(result.accessToken);
    expect(actor).toEqual({ kind: "user", id: result.user.id, role: "customer", sessionId: expect.any(String) });
    expect(await h.auth.me(result.user.id)).toEqual({ ...result.user, emailVerified: false });
  });

  it("logs in, rotates on every refresh, and the access token expires after 15 minutes", async () => {
    const account = newAccount();
    await h.auth.register(account, meta);
    const login = await h.auth.login(account, meta);
    const refreshed = await h.auth.refresh(login.refreshToken, { ip: "198.51.100.2", userAgent: "tab" });
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    expect(refreshed.user.id).toBe(login.user.id);
    const second = await h.auth.refresh(refreshed.refreshToken, meta);
    expect(second.refreshToken).not.toBe(refreshed.refreshToken);

    h.clock.advance(ACCESS_TOKEN_TTL_SECONDS);
    expect(await h.auth.authenticate(login.accessToken)).toBeNull();
  });

  it("detects reuse of a rotated token: the whole session dies and a WARN line is logged", async () => {
    const account = newAccount();
    const first = await signUp(h.auth, account, meta);
    const second = await h.auth.refresh(first.refreshToken, meta);
    h.clock.advance(REFRESH_GRACE_SECONDS + 1);

    await rejectsWith(h.auth.refresh(first.refreshToken, meta), "invalid_refresh_token");
    await rejectsWith(h.auth.refresh(second.refreshToken, meta), "invalid_refresh_token");
    expect(await h.auth.authenticate(second.accessToken)).toBeNull();

    const warning = h.logs.lines.map((line) => JSON.parse(line)).find((line) => line.event === "refresh_token_reuse");
    expect(warning).toMatchObject({ level: "warn", userId: first.user.id });
    expect(h.logs.text()).not.toContain(first.refreshToken.split(".")[1]);
  });

  it("lets two tabs refresh with the same token inside the grace window", async () => {
    const first = await signUp(h.auth, newAccount(), meta);
    const [tabA, tabB] = await Promise.all([
      h.auth.refresh(first.refreshToken, meta),
      h.auth.refresh(first.refreshToken, meta),
    ]);
    h.clock.advance(REFRESH_GRACE_SECONDS);
    const tabC = await h.auth.refresh(first.refreshToken, meta);
    for (const tab of [tabA, tabB, tabC]) expect(await h.auth.authenticate(tab.accessToken)).not.toBeNull();
    // Whichever token the browser kept still works afterwards.
    await expect(h.auth.refresh(tabA.refreshToken, meta)).resolves.toMatchObject({ user: first.user });
    await expect(h.auth.refresh(tabB.refreshToken, meta)).resolves.toMatchObject({ user: first.user });
  });

  it("expires a session after 7 idle days", async () => {
    const first = await signUp(h.auth, newAccount(), meta);
    h.clock.advance(SESSION_IDLE_SECONDS - 1);
    const kept = await h.auth.refresh(first.refreshToken, meta);
    expect(kept.refreshTokenExpiresAt).toEqual(new Date(h.clock.now().getTime() + SESSION_IDLE_SECONDS * 1000));
    h.clock.advance(SESSION_IDLE_SECONDS);
    await rejectsWith(h.auth.refresh(kept.refreshToken, meta), "invalid_refresh_token");
  });

  it("caps a session at 30 days however often it is used", async () => {
    let token = (await signUp(h.auth, newAccount(), meta)).refreshToken;
    for (let day = 0; day + 6 < 30; day += 6) {
      h.clock.advance(6 * DAY);
      const next = await h.auth.refresh(token, meta);
      expect(next.refreshTokenExpiresAt.getTime()).toBeLessThanOrEqual(
        h.clock.now().getTime() + SESSION_IDLE_SECONDS * 1000,
      );
      token = next.refreshToken;
    }
    h.clock.advance(SESSION_ABSOLUTE_SECONDS - 30 * DAY + 6 * DAY);
    await rejectsWith(h.auth.refresh(token, meta), "invalid_refresh_token");
  });

  it("logout ends the session: its access token fails on the very next request", async () => {
    const result = await signUp(h.auth, newAccount(), meta);
    const actor = await h.auth.authenticate(result.accessToken);
    await h.auth.logout({ userId: actor!.id, sessionId: actor!.sessionId });
    expect(await h.auth.authenticate(result.accessToken)).toBeNull();
    await rejectsWith(h.auth.refresh(result.refreshToken, meta), "invalid_refresh_token");
  });

  it("logout by refresh token alone (cookie or token transport) also ends the session", async () => {
    const result = await signUp(h.auth, newAccount(), meta);
    await h.auth.logout({ refreshToken: result.refreshToken });
    expect(await h.auth.authenticate(result.accessToken)).toBeNull();
    await h.auth.logout({ refreshToken: "not-a-token" }); // idempotent, no throw
  });

  it("lists own sessions marking the current one, and revokes one or all others", async () => {
    const account = newAccount();
    const a = await signUp(h.auth, account, meta);
    const b = await h.auth.login(account, { ip: "198.51.100.9", userAgent: "phone" });
    const c = await h.auth.login(account, meta);
    const current = (await h.auth.authenticate(a.accessToken))!;
    const listed = await h.auth.sessions(a.user.id, current.sessionId);
    expect(listed).toHaveLength(3);
    expect(listed.filter((session) => session.current).map((session) => session.id)).toEqual([current.sessionId]);
    expect(listed.find((session) => session.userAgent === "phone")?.ip).toBe("198.51.100.9");

    const phone = (await h.auth.authenticate(b.accessToken))!;
    await h.auth.revokeSession(a.user.id, phone.sessionId!);
    expect(await h.auth.authenticate(b.accessToken)).toBeNull();
    await rejectsWith(h.auth.revokeSession(a.user.id, phone.sessionId!), "not_found");

    const stranger = await signUp(h.auth, newAccount(), meta);
    await rejectsWith(h.auth.revokeSession(stranger.user.id, current.sessionId!), "not_found");

    expect(await h.auth.revokeOtherSessions(a.user.id, current.sessionId)).toBe(1);
    expect(await h.auth.authenticate(c.accessToken)).toBeNull();
    expect(await h.auth.authenticate(a.accessToken)).not.toBeNull();
  });

  it("changePassword checks the current password, applies the rules and ends every other session", async () => {
    const account = newAccount();
    const a = await signUp(h.auth, account, meta);
    const b = await h.auth.login(account, meta);
    const actor = { userId: a.user.id, sessionId: (await h.auth.authenticate(a.accessToken))!.sessionId! };

    const wrong = await rejectsWith(
      h.auth.changePassword(actor, { currentPassword: "nope nope", newPassword: "Another long one" }, meta),
      "invalid_input",
    );
    expect(wrong.details.field).toBe("currentPassword");
    const weak = await rejectsWith(
      h.auth.changePassword(actor, { currentPassword: account.password, newPassword: "password123" }, meta),
      "invalid_password",
    );
    expect(weak.details.field).toBe("newPassword");

    await h.auth.changePassword(actor, { currentPassword: account.password, newPassword: "Another long one" }, meta);
    expect(await h.auth.authenticate(b.accessToken)).toBeNull();
    expect(await h.auth.authenticate(a.accessToken)).not.toBeNull();
    await rejectsWith(h.auth.login(account, meta), "invalid_credentials");
    await h.auth.login({ email: account.email, password: "Another long one" }, meta);
  });

  it("rejects tampered, foreign and algorithm-swapped access tokens", async () => {
    const { accessToken } = await signUp(h.auth, newAccount(), meta);
    const [header, payload, signature] = accessToken.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString());
    forged.role = "admin";
    const forgedPayload = Buffer.from(JSON.stringify(forged)).toString("base64url");
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    for (const token of [`${header}.${forgedPayload}.${signature}`, `${none}.${payload}.`, "garbage", ""]) {
      expect(await h.auth.authenticate(token)).toBeNull();
    }
    const other = await openHarness("sqlite-memory");
    expect(await other.auth.authenticate(accessToken)).toBeNull();
    await other.database.close();
  });

  it("rejects malformed and guessed refresh tokens without touching the session", async () => {
    const result = await signUp(h.auth, newAccount(), meta);
    const [id] = result.refreshToken.split(".");
    for (const token of ["", "x.y", `${id}.${"a".repeat(32)}`, `not-a-uuid.${"a".repeat(32)}`]) {
      await rejectsWith(h.auth.refresh(token, meta), "invalid_refresh_token");
    }
    await expect(h.auth.refresh(result.refreshToken, meta)).resolves.toMatchObject({ user: result.user });
  });
});
