// Registration rules, credential errors, throttling, admin user management and the dev seed.
import { parseOptions } from "@node-rs/argon2";
import { testBackends } from "@cartwheel/db/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLoginThrottle, DEV_ADMIN_EMAIL, passwordProblem, seedDevAdmin } from "../src/index.ts";
import { accountDeps, caught, type Harness, meta, newAccount, openHarness, signUp } from "./harness.ts";

describe("password rules", () => {
  it("accepts 8 to 128 characters of anything, refuses common passwords and the email", () => {
    expect(passwordProblem("correct horse", "a@example.com")).toBeNull();
    expect(passwordProblem("ñandú🦙🦙🦙", "a@example.com")).toBeNull();
    expect(passwordProblem("short", "a@example.com")).toMatch(/at least 8/);
    expect(passwordProblem("x".repeat(129), "a@example.com")).toMatch(/at most 128/);
    expect(passwordProblem("x".repeat(128), "a@example.com")).toBeNull();
    for (const common of ["password", "Password1", "iloveyou", "qwertyuiop", "12345678"]) {
      expect(passwordProblem(common, "a@example.com")).toMatch(/too common/);
    }
    expect(passwordProblem(" Long.Name@Example.com", "long.name@example.com")).toMatch(/differ from your email/);
  });
});

/** A fresh admin, as the actor an admin operation or a new key needs. */
async function registerAdmin(h: Harness) {
  const { user } = await signUp(h.auth, newAccount(), meta);
  const { db, schema: s } = h.database;
  await db.update(s.users).set({ role: "admin" }).where(eq(s.users.id, user.id));
  return { kind: "user", id: user.id } as const;
}

describe.each(testBackends())("auth accounts on %s", (backend) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(backend);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.database.close();
  });

  it("stores argon2id at OWASP's minimum (19 MiB, t=2, p=1), never the password", async () => {
    const account = newAccount();
    const { user } = await signUp(h.auth, account, meta);
    const { db, schema: s } = h.database;
    const [row] = await db.select({ hash: s.users.passwordHash }).from(s.users).where(eq(s.users.id, user.id));
    expect(row!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(row!.hash)).toMatchObject({ algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it("normalises emails, and answers a duplicate as it answers a new address, keeping the first account", async () => {
    const account = newAccount();
    const first = await h.auth.register(account, meta);
    const again = await h.auth.register({ ...account, email: ` ${account.email.toUpperCase()}`, name: "Other" }, meta);
    expect(again).toEqual(first);
    expect(first).toEqual({ status: "check_your_email" });
    const login = await h.auth.login({ email: account.email.toUpperCase(), password: account.password }, meta);
    expect(login.user).toMatchObject({ email: account.email, name: account.name });
  });

  it("refuses weak passwords at registration with a field-level error", async () => {
    const account = newAccount();
    for (const password of ["short", "password1", account.email]) {
      const error = await caught(h.auth.register({ ...account, password }, meta));
      expect(error).toMatchObject({ reason: "invalid_password", details: { field: "password" } });
    }
  });

  it("gives unknown email, wrong password and disabled account the same error", async () => {
    const account = newAccount();
    const { user } = await signUp(h.auth, account, meta);
    const unknown = await caught(h.auth.login({ email: "nobody@example.com", password: account.password }, meta));
    const wrong = await caught(h.auth.login({ ...account, password: "Wrong but long" }, meta));
    const admin = newAccount();
    const adminId = (await signUp(h.auth, admin, meta)).user.id;
    await h.database.db
      .update(h.database.schema.users)
      .set({ role: "admin" })
      .where(eq(h.database.schema.users.id, adminId));
    await h.auth.users.disable({ kind: "user", id: adminId }, user.id);
    const disabled = await caught(h.auth.login(account, meta));
    for (const error of [unknown, wrong, disabled]) {
      expect({ reason: error.reason, message: error.message }).toEqual({
        reason: "invalid_credentials",
        message: unknown.message,
      });
    }
  });

  it("throttles failed logins per account+IP and per account, and the limit lifts by itself", async () => {
    vi.useFakeTimers({ toFake: ["Date"] }); // rate-limiter-flexible reads Date.now; no timers are faked
    const throttle = createLoginThrottle({
      limits: { perAccountIp: { points: 3, durationSeconds: 60 }, perAccount: { points: 4, durationSeconds: 3600 } },
    });
    const t = await openHarness(backend, { throttle });
    try {
      const account = newAccount();
      await t.auth.register(account, meta);
      const wrong = { ...account, password: "Wrong but long" };
      for (let i = 0; i < 3; i++) expect((await caught(t.auth.login(wrong, meta))).reason).toBe("invalid_credentials");
      const limited = await caught(t.auth.login(account, meta)); // even the right password waits
      expect(limited.reason).toBe("throttled");
      expect(limited.is("throttled") && limited.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.is("throttled") && limited.details.retryAfterSeconds).toBeLessThanOrEqual(60);

      const elsewhere = { ip: "198.51.100.50", userAgent: null };
      expect((await caught(t.auth.login(wrong, elsewhere))).reason).toBe("invalid_credentials");
      expect((await caught(t.auth.login(account, elsewhere))).reason).toBe("throttled"); // per-account cap (4)

      vi.setSystemTime(Date.now() + 3601 * 1000);
      await expect(t.auth.login(account, meta)).resolves.toMatchObject({ user: { email: account.email } });
      const log = t.logs.text();
      expect(log).toContain("login_throttled");
      expect(log).not.toContain(account.email);
    } finally {
      await t.database.close();
    }
  });

  it("lets an admin list, search, re-role, disable and enable users; a disabled user is out on the next request", async () => {
    const adminAccount = newAccount();
    const admin = await signUp(h.auth, adminAccount, meta);
    const { db, schema: s } = h.database;
    await db.update(s.users).set({ role: "admin" }).where(eq(s.users.id, admin.user.id));
    const asAdmin = { kind: "user", id: admin.user.id } as const;
    const accounts = [0, 1, 2].map((i) => ({ ...newAccount(), name: `Zed ${i}` }));
    const created = [];
    for (const account of accounts) created.push(await signUp(h.auth, account, meta));

    const page1 = await h.auth.users.list({ limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await h.auth.users.list({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.nextCursor).toBeNull();
    expect([...page1.items, ...page2.items].map((u) => u.id).toSorted()).toEqual(
      [admin.user.id, ...created.map((c) => c.user.id)].toSorted(),
    );
    // Sealed names and addresses cannot match a part: `q` is a whole address (any case) or an id.
    const second = created[1]!.user;
    const found = async (q: string) => (await h.auth.users.list({ limit: 10, q })).items.map((u) => u.id);
    expect(await found(` ${second.email.toUpperCase()} `)).toEqual([second.id]);
    expect(await found(second.id.toUpperCase())).toEqual([second.id]);
    expect(await found(second.email.slice(0, -1))).toEqual([]);
    expect(await found("Zed 1")).toEqual([]);

    const victim = created[0]!;
    expect(await h.auth.authenticate(victim.accessToken)).not.toBeNull();
    await h.auth.users.disable(asAdmin, victim.user.id);
    expect(await h.auth.authenticate(victim.accessToken)).toBeNull();
    expect((await caught(h.auth.refresh(victim.refreshToken, meta))).reason).toBe("invalid_refresh_token");
    await h.auth.users.enable(victim.user.id);

    const promoted = created[1]!;
    expect(await h.auth.users.setRole(asAdmin, promoted.user.id, "staff")).toMatchObject({ role: "staff" });
    expect(await h.auth.authenticate(promoted.accessToken)).toBeNull(); // old token carried the old role
    const relogged = await h.auth.login(accounts[1]!, meta);
    expect(await h.auth.authenticate(relogged.accessToken)).toMatchObject({ role: "staff" });

    expect((await caught(h.auth.users.disable(asAdmin, admin.user.id))).reason).toBe("self_change");
    expect((await caught(h.auth.users.enable(crypto.randomUUID()))).reason).toBe("not_found");
  });

  it("API keys: shown once, hashed at rest, role-bearing, expiring, revocable, with lastUsedAt", async () => {
    const owner = await registerAdmin(h);
    const created = await h.auth.apiKeys.create({
      name: "billing",
      role: "staff",
      expiresAt: new Date(h.clock.now().getTime() + 3600_000),
      createdBy: owner,
    });
    expect(created.key).toMatch(/^cwk_[0-9a-f-]{36}\.[a-z2-7]{32}$/);
    const { db, schema: s } = h.database;
    const [row] = await db.select().from(s.apiKeys).where(eq(s.apiKeys.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.key.split(".")[1]);

    expect(await h.auth.authenticate(created.key)).toEqual({
      kind: "apiKey",
      id: created.id,
      role: "staff",
      sessionId: null,
    });
    const [listed] = await h.auth.apiKeys.list();
    expect(listed).toMatchObject({ id: created.id, lastUsedAt: h.clock.now() });
    expect(Object.keys(listed!)).not.toContain("secretHash");

    const wrongSecret = await caught(
      h.auth.authenticate(created.key.slice(0, -1) + (created.key.endsWith("a") ? "b" : "a")),
    );
    expect({ reason: wrongSecret.reason, message: wrongSecret.message }).toEqual({
      reason: "invalid_api_key",
      message: "The API key is not valid.",
    });
    for (const malformed of ["cwk_nope", `cwk_${crypto.randomUUID()}.${"a".repeat(32)}`, `cwk_${"x".repeat(10_000)}`]) {
      expect((await caught(h.auth.authenticate(malformed))).message).toBe("The API key is not valid.");
    }
    h.clock.advance(3600);
    expect((await caught(h.auth.authenticate(created.key))).message).toBe("This API key has expired.");

    const other = await h.auth.apiKeys.create({ name: "ci", role: "customer", createdBy: owner });
    await h.auth.apiKeys.revoke(other.id);
    expect((await caught(h.auth.authenticate(other.key))).message).toBe("This API key was revoked.");
    expect((await caught(h.auth.apiKeys.revoke(crypto.randomUUID()))).reason).toBe("not_found");
  });

  it("dev seed creates admin@example.com once and prints its password, never logging it", async () => {
    const printed: string[] = [];
    const deps = { ...accountDeps(h), print: (line: string) => void printed.push(line) };
    expect(await seedDevAdmin(deps)).toBe(true);
    expect(await seedDevAdmin(deps)).toBe(false);
    expect(printed).toHaveLength(1);
    const password = /admin@example\.com \/ (\S+)/.exec(printed[0]!)![1]!;
    const login = await h.auth.login({ email: DEV_ADMIN_EMAIL, password }, meta);
    expect(login.user.role).toBe("admin");
    expect(h.logs.text()).not.toContain(password);
  });

  it("never writes a password, token or key to a log line", async () => {
    const account = newAccount();
    const first = await signUp(h.auth, account, meta);
    await caught(h.auth.login({ ...account, password: "Wrong but long" }, meta));
    const second = await h.auth.login(account, meta);
    const rotated = await h.auth.refresh(second.refreshToken, meta);
    h.clock.advance(60);
    await caught(h.auth.refresh(second.refreshToken, meta)); // reuse → WARN line
    const key = await h.auth.apiKeys.create({ name: "k", role: "staff", createdBy: await registerAdmin(h) });
    await h.auth.authenticate(key.key);
    const text = h.logs.text();
    expect(h.logs.lines.length).toBeGreaterThan(3);
    for (const secret of [account.password, "Wrong but long", first.accessToken, rotated.accessToken, key.key]) {
      expect(text).not.toContain(secret);
    }
    for (const token of [first.refreshToken, second.refreshToken, rotated.refreshToken]) {
      expect(text).not.toContain(token.split(".")[1]);
    }
  });
});
