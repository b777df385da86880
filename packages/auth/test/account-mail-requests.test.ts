import type { DomainEventType } from "@cartwheel/contracts";
import { createEventRecorder } from "@cartwheel/db";
import { testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountMailThrottleRules } from "../src/account-mail-throttle.ts";
import { caught, type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

const limitOf = (rule: (typeof accountMailThrottleRules)[number]["rule"]) =>
  accountMailThrottleRules.find((row) => row.rule === rule)!.points;

describe.each(testBackends())("account mail requests on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend, ({ database, now }) => ({ events: createEventRecorder(database, { now }) }));
  });
  afterEach(async () => h.database.close());

  const recorded = async (type: DomainEventType) => {
    const { db, schema: s } = h.database;
    return db.select().from(s.outboxEvents).where(eq(s.outboxEvents.type, type));
  };

  it("answers a reset request the same for a known and an unknown address, and records an event only for the known one", async () => {
    const account = newAccount();
    const { user } = await signUp(h.auth, account, meta);
    const known = await h.auth.requestPasswordReset({ email: account.email.toUpperCase() }, meta);
    const unknown = await h.auth.requestPasswordReset({ email: "nobody-here@example.com" }, meta);
    expect(JSON.stringify(known)).toBe(JSON.stringify(unknown));
    expect(known).toEqual({ status: "check_your_email" });
    const events = await recorded("user.password_reset_requested");
    expect(events.map((event) => event.payload)).toEqual([{ userId: user.id }]);
  });

  it("records nothing for a disabled account", async () => {
    const account = newAccount();
    const { user } = await signUp(h.auth, account, meta);
    const { db, schema: s } = h.database;
    await db.update(s.users).set({ disabledAt: h.clock.now() }).where(eq(s.users.id, user.id));
    await expect(h.auth.requestPasswordReset({ email: account.email }, meta)).resolves.toEqual({
      status: "check_your_email",
    });
    expect(await recorded("user.password_reset_requested")).toHaveLength(0);
  });

  it("records nothing, and answers the same, without an event recorder", async () => {
    const bare = await openHarness(backend);
    try {
      const account = newAccount();
      await bare.auth.register(account, meta);
      await expect(bare.auth.requestPasswordReset({ email: account.email }, meta)).resolves.toEqual({
        status: "check_your_email",
      });
      const { db, schema: s } = bare.database;
      expect(await db.select().from(s.outboxEvents)).toHaveLength(0);
    } finally {
      await bare.database.close();
    }
  });

  it("throttles reset requests per address, whether or not it has an account", async () => {
    const email = "nobody-at-all@example.com";
    for (let i = 0; i < limitOf("reset-account"); i += 1) {
      await h.auth.requestPasswordReset({ email }, { ip: `198.51.100.${i + 1}` });
    }
    const error = await caught(h.auth.requestPasswordReset({ email }, { ip: "198.51.100.200" }));
    expect(error.reason).toBe("throttled");
    expect(error.details).toEqual({ retryAfterSeconds: expect.any(Number) });
    // Another address is not affected.
    await expect(h.auth.requestPasswordReset({ email: "someone-else@example.com" }, meta)).resolves.toBeTruthy();
  });

  it("throttles reset requests per client address across many addresses", async () => {
    for (let i = 0; i < limitOf("reset-ip"); i += 1) {
      await h.auth.requestPasswordReset({ email: `spray${i}@example.com` }, meta);
    }
    expect((await caught(h.auth.requestPasswordReset({ email: "spray-last@example.com" }, meta))).reason).toBe(
      "throttled",
    );
    await expect(
      h.auth.requestPasswordReset({ email: "spray-last@example.com" }, { ip: "192.0.2.99" }),
    ).resolves.toBeTruthy();
  });

  it("records user.registered for a new address and user.registration_repeated for a taken one, in the sign-up's transaction", async () => {
    const account = newAccount();
    await h.auth.register(account, meta);
    await h.auth.register({ ...account, password: "Another walrus 77" }, meta);
    const [registered] = await recorded("user.registered");
    const [repeated] = await recorded("user.registration_repeated");
    expect(repeated!.payload).toEqual(registered!.payload);
    // The repeat changed nothing: the first password still signs in.
    await expect(h.auth.login(account, meta)).resolves.toBeTruthy();
    // A refused sign-up (weak password) records nothing.
    await caught(h.auth.register({ ...newAccount(), password: "short" }, meta));
    expect(await recorded("user.registered")).toHaveLength(1);
  });

  it("notifies the owner of repeated sign-ups a few times only, answering the same past the limit", async () => {
    const account = newAccount();
    await h.auth.register(account, meta);
    const limit = limitOf("register-repeat-account");
    for (let i = 0; i < limit + 2; i += 1) {
      await expect(h.auth.register(account, meta)).resolves.toEqual({ status: "check_your_email" });
    }
    expect(await recorded("user.registration_repeated")).toHaveLength(limit);
  });

  it("records a verification request for an unverified account, and none once it is verified", async () => {
    const { user } = await signUp(h.auth, newAccount(), meta);
    await h.auth.resendVerification(user.id, meta);
    expect(await recorded("user.verification_requested")).toHaveLength(1);
    const { db, schema: s } = h.database;
    await db.update(s.users).set({ emailVerifiedAt: h.clock.now() }).where(eq(s.users.id, user.id));
    await expect(h.auth.resendVerification(user.id, meta)).resolves.toEqual({ status: "check_your_email" });
    expect(await recorded("user.verification_requested")).toHaveLength(1);
  });
});
