import { newId } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT_TOKEN_TTL_SECONDS } from "../src/account-tokens.ts";
import { caught, type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

describe.each(testBackends())("account tokens on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => h.database.close());

  async function registered() {
    const account = newAccount();
    const signedIn = await signUp(h.auth, account, meta);
    return { ...account, userId: signedIn.user.id, refreshToken: signedIn.refreshToken };
  }
  const row = async (id: string) => {
    const { db, schema: s } = h.database;
    const [found] = await db.select().from(s.accountTokens).where(eq(s.accountTokens.id, id));
    return found;
  };
  const user = async (id: string) => {
    const { db, schema: s } = h.database;
    const [found] = await db.select().from(s.users).where(eq(s.users.id, id));
    return found!;
  };

  it("issues the same token again for the same id, and stores only a hash of its secret", async () => {
    const { userId } = await registered();
    const id = newId();
    const first = await h.auth.accountTokens.issue({ purpose: "password_reset", userId, id });
    h.clock.advance(60);
    const again = await h.auth.accountTokens.issue({ purpose: "password_reset", userId, id });
    expect(again).toBe(first);
    const [tokenId, tokenSecret] = first.split(".");
    expect(tokenId).toBe(id);
    const stored = await row(id);
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(tokenSecret);
    // The first expiry stands: a retried mail does not extend the link.
    expect(stored?.expiresAt.getTime()).toBe(
      h.clock.now().getTime() - 60_000 + ACCOUNT_TOKEN_TTL_SECONDS.password_reset * 1000,
    );
  });

  it("resets the password once per link, ends every session and leaves other links of the account dead", async () => {
    const account = await registered();
    const older = await h.auth.accountTokens.issue({ purpose: "password_reset", userId: account.userId, id: newId() });
    const token = await h.auth.accountTokens.issue({ purpose: "password_reset", userId: account.userId, id: newId() });

    await h.auth.resetPassword({ token, newPassword: "Brand new walrus 42" });
    await expect(h.auth.login({ email: account.email, password: "Brand new walrus 42" }, meta)).resolves.toBeTruthy();
    expect((await caught(h.auth.login({ email: account.email, password: account.password }, meta))).reason).toBe(
      "invalid_credentials",
    );
    expect((await caught(h.auth.refresh(account.refreshToken, meta))).reason).toBe("invalid_refresh_token");
    expect((await user(account.userId)).emailVerifiedAt).toBeInstanceOf(Date);

    for (const used of [token, older]) {
      const error = await caught(h.auth.resetPassword({ token: used, newPassword: "Another new walrus 43" }));
      expect(error.reason).toBe("invalid_account_token");
    }
    expect(h.logs.text()).not.toContain(token.split(".")[1]);
  });

  it("keeps the link usable when the new password breaks a rule, and refuses it once expired", async () => {
    const account = await registered();
    const token = await h.auth.accountTokens.issue({ purpose: "password_reset", userId: account.userId, id: newId() });
    expect((await caught(h.auth.resetPassword({ token, newPassword: "short" }))).reason).toBe("invalid_password");
    await h.auth.resetPassword({ token: token, newPassword: "Brand new walrus 42" });

    const late = await h.auth.accountTokens.issue({ purpose: "password_reset", userId: account.userId, id: newId() });
    h.clock.advance(ACCOUNT_TOKEN_TTL_SECONDS.password_reset + 1);
    expect((await caught(h.auth.resetPassword({ token: late, newPassword: "Third new walrus 44" }))).reason).toBe(
      "invalid_account_token",
    );
  });

  it("refuses forged, malformed and other-purpose tokens alike", async () => {
    const account = await registered();
    const verification = await h.auth.accountTokens.issue({
      purpose: "email_verification",
      userId: account.userId,
      id: newId(),
    });
    const [id, tokenSecret] = verification.split(".") as [string, string];
    const forged = `${id}.${tokenSecret.slice(0, -1)}${tokenSecret.endsWith("a") ? "b" : "a"}`;
    for (const token of [verification, forged, "not-a-token", `${newId()}.${tokenSecret}`, "x".repeat(500)]) {
      const error = await caught(h.auth.resetPassword({ token, newPassword: "Brand new walrus 42" }));
      expect(error.reason).toBe("invalid_account_token");
    }
  });

  it("verifies the address once from its link", async () => {
    const account = await registered();
    expect((await user(account.userId)).emailVerifiedAt).toBeNull();
    const token = await h.auth.accountTokens.issue({
      purpose: "email_verification",
      userId: account.userId,
      id: newId(),
    });
    await h.auth.verifyEmail({ token });
    expect((await user(account.userId)).emailVerifiedAt).toEqual(h.clock.now());
    expect((await caught(h.auth.verifyEmail({ token }))).reason).toBe("invalid_account_token");
  });

  it("lets only one of two concurrent redemptions of a link win", async () => {
    const account = await registered();
    const token = await h.auth.accountTokens.issue({ purpose: "password_reset", userId: account.userId, id: newId() });
    const outcomes = await Promise.allSettled([
      h.auth.resetPassword({ token, newPassword: "Brand new walrus 42" }),
      h.auth.resetPassword({ token, newPassword: "Other new walrus 43" }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ reason: "invalid_account_token" });
  });
});
