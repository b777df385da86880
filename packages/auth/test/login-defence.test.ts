// Hostile sign-in traffic: huge passwords, lockout used as a weapon (OWASP device tokens),
// and a flood of password checks (bounded argon2 queue). Throttles run on Redis when
// TEST_REDIS_URL is set (always under CI=true), on every database backend.
import { testBackends } from "@cartwheel/db/testing";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PASSWORD_TOO_LONG } from "@cartwheel/contracts";
import { addressKey, createRateLimiterFactory } from "@cartwheel/rate-limit";
import { createDeviceTokens } from "../src/device-tokens.ts";
import {
  createAccount,
  createLoginThrottle,
  createPasswordHasher,
  findUserIdByEmail,
  passwordProblem,
  type PasswordHasher,
} from "../src/index.ts";
import { accountDeps, caught, fakeClock, type Harness, newAccount, openHarness, signUp } from "./harness.ts";

/** A hasher that counts the argon2 jobs it was asked to run. */
function countingHasher(limits?: Parameters<typeof createPasswordHasher>[0]) {
  const inner = createPasswordHasher(limits);
  let jobs = 0;
  const hasher: PasswordHasher = {
    run: (job, options) => inner.run(job, options),
    hasRoom: (options) => inner.hasRoom(options),
    hash: (password) => ((jobs += 1), inner.hash(password)),
    verify: (hash, password) => ((jobs += 1), inner.verify(hash, password)),
  };
  return { hasher, jobs: () => jobs };
}

/**
 * The token with one signature character changed. Not the last one: 32 bytes in base64url end
 * in a character whose two low bits are padding, so some changes there decode to the same MAC.
 */
const forge = (token: string) => {
  const at = token.length - 10;
  return `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
};

describe("password input bounds", () => {
  it("refuses 70,000-character and 1 MB passwords by their size, before any other rule", () => {
    for (const size of [1025, 70_000, 1024 * 1024]) {
      expect(passwordProblem("a".repeat(size), "a@example.com")).toBe(PASSWORD_TOO_LONG);
      // One grapheme cluster of combining marks: the size bound still answers first.
      expect(passwordProblem(`a${"\u0301".repeat(size - 1)}`, "a@example.com")).toBe(PASSWORD_TOO_LONG);
    }
    expect(passwordProblem("🦙".repeat(129), "a@example.com")).toBe(PASSWORD_TOO_LONG); // 258 code units
    expect(passwordProblem("🦙".repeat(128), "a@example.com")).toBeNull();
  });

  it("groups IPv6 clients per /64 and keeps IPv4 addresses apart", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:db8:1:2:ffff::9"));
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    expect(addressKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("192.0.2.1")).not.toBe(addressKey("192.0.2.2"));
  });

  it("device tokens bind to one account, expire, and refuse tampering", () => {
    const clock = fakeClock();
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const tokens = createDeviceTokens(secret, clock.now);
    const { token } = tokens.issue("owner@example.com");
    const id = tokens.verify(token, "owner@example.com");
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(token).not.toContain(id!);
    expect(tokens.verify(token, "other@example.com")).toBeNull();
    expect(
      createDeviceTokens(crypto.getRandomValues(new Uint8Array(32)), clock.now).verify(token, "owner@example.com"),
    ).toBeNull();
    const flipped = token.slice(0, -2) + (token.at(-2) === "A" ? "B" : "A") + token.at(-1);
    expect(tokens.verify(flipped, "owner@example.com")).toBeNull();
    for (const junk of ["", "x", `${token}x`, "a".repeat(100_000)])
      expect(tokens.verify(junk, "owner@example.com")).toBeNull();
    clock.advance(180 * 24 * 60 * 60);
    expect(tokens.verify(token, "owner@example.com")).toBeNull();
  });
});

const from = (ip: string) => ({ ip, userAgent: "vitest" });
const redisUrl = process.env.TEST_REDIS_URL;
const needsRedis = Boolean(redisUrl) || process.env.CI === "true";

describe.each(testBackends())("sign-in defences on %s", (backend) => {
  const clients: Redis[] = [];
  let h: Harness;
  let counting: ReturnType<typeof countingHasher>;
  /** Small limits, so the attack takes a few attempts; shared through Redis like production. */
  const limits = {
    perAddress: { points: 4, durationSeconds: 60 },
    perAccountIp: { points: 3, durationSeconds: 60 },
    perAccount: { points: 5, durationSeconds: 3600 },
    perDevice: { points: 3, durationSeconds: 900 },
  };
  const throttle = () => {
    const namespace = `cw-test:${crypto.randomUUID()}`;
    if (!needsRedis) return createLoginThrottle({ limits, limiters: createRateLimiterFactory({ namespace }) });
    if (!redisUrl) throw new Error("TEST_REDIS_URL is not set: Redis tests cannot run (CI=true never skips them)");
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    clients.push(redis);
    return createLoginThrottle({ limits, limiters: createRateLimiterFactory({ redis, namespace }) });
  };

  beforeAll(async () => {
    if (needsRedis) {
      const probe = new Redis(redisUrl ?? "redis://missing", { maxRetriesPerRequest: 1, connectTimeout: 2000 });
      clients.push(probe);
      await probe.ping();
    }
  });
  beforeEach(async () => {
    counting = countingHasher();
    h = await openHarness(backend, { throttle: throttle(), passwordHasher: counting.hasher });
  });
  afterEach(async () => h.database.close());
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it("refuses a 1 MB password at sign-up without hashing or storing anything", async () => {
    const account = { ...newAccount(), password: "a".repeat(1024 * 1024) };
    const error = await caught(h.auth.register(account, from("192.0.2.10")));
    expect(error).toMatchObject({
      reason: "invalid_password",
      message: PASSWORD_TOO_LONG,
      details: { field: "password" },
    });
    expect(counting.jobs()).toBe(0);
    expect(await findUserIdByEmail(h.database, h.pii.emailIndexKey, account.email)).toBeNull();
  });

  it("failures from many addresses throttle strangers but never the owner's known device", async () => {
    const account = newAccount();
    await h.auth.register(account, from("192.0.2.1"));
    const { deviceToken } = await h.auth.login(account, from("192.0.2.1"));
    const wrong = { ...account, password: "Wrong but long" };
    // The distributed attack: each guess from another address, none with a device token.
    for (let i = 0; i < limits.perAccount.points; i++) {
      expect((await caught(h.auth.login(wrong, from(`198.51.100.${i + 1}`)))).reason).toBe("invalid_credentials");
    }
    // The account is now closed to devices it has never seen, the owner's new laptop included...
    expect((await caught(h.auth.login(account, from("203.0.113.50")))).reason).toBe("throttled");
    expect((await caught(h.auth.login(wrong, from("198.51.100.99")))).reason).toBe("throttled");
    // ...and an attacker cannot borrow a token: a forged one, or one issued for another account.
    const other = newAccount();
    await h.auth.register(other, from("192.0.2.2"));
    const othersToken = (await h.auth.login(other, from("192.0.2.2"))).deviceToken;
    for (const token of [forge(deviceToken), othersToken]) {
      const attempt = h.auth.login({ ...wrong, deviceToken: token }, from("198.51.100.98"));
      expect((await caught(attempt)).reason).toBe("throttled");
    }
    // The owner's device still signs in, from any address.
    const owner = await h.auth.login({ ...account, deviceToken }, from("203.0.113.51"));
    expect(owner.user.email).toBe(account.email);
    expect(owner.deviceToken).not.toBe(deviceToken);
  });

  it("a device token has its own limit: guessing with a stolen one stops that device only", async () => {
    const account = newAccount();
    const { deviceToken } = await signUp(h.auth, account, from("192.0.2.3"));
    const wrong = { ...account, password: "Wrong but long", deviceToken };
    for (let i = 0; i < limits.perDevice.points; i++) {
      expect((await caught(h.auth.login(wrong, from(`198.51.100.${i + 1}`)))).reason).toBe("invalid_credentials");
    }
    const limited = await caught(h.auth.login({ ...account, deviceToken }, from("192.0.2.3")));
    expect(limited.reason).toBe("throttled");
    expect(limited.is("throttled") && limited.details.retryAfterSeconds).toBeGreaterThan(0);
    // Another of the owner's devices is unaffected.
    const laptop = await h.auth.login(account, from("192.0.2.4"));
    await expect(
      h.auth.login({ ...account, deviceToken: laptop.deviceToken }, from("192.0.2.4")),
    ).resolves.toMatchObject({
      user: { email: account.email },
    });
  });

  it("limits attempts per client address, unknown accounts included", async () => {
    for (let i = 0; i < limits.perAddress.points; i++) {
      const attempt = h.auth.login(
        { email: `nobody${i}@example.com`, password: "Some long guess" },
        from("2001:db8:9::1"),
      );
      expect((await caught(attempt)).reason).toBe("invalid_credentials");
    }
    const sameSlash64 = from("2001:db8:9::ffff");
    const limited = await caught(
      h.auth.login({ email: "fresh@example.com", password: "Some long guess" }, sameSlash64),
    );
    expect(limited.reason).toBe("throttled");
    const elsewhere = h.auth.login({ email: "fresh@example.com", password: "Some long guess" }, from("2001:db8:a::1"));
    expect((await caught(elsewhere)).reason).toBe("invalid_credentials");
  });

  it("known devices jump the argon2 queue, and shed attempts use up no allowance", async () => {
    const tight = createPasswordHasher({ maxConcurrent: 1, maxWaiting: 1 });
    const t = await openHarness(backend, { throttle: throttle(), passwordHasher: tight });
    try {
      const account = newAccount();
      const { deviceToken } = await signUp(t.auth, account, from("192.0.2.8"));
      let release!: () => void;
      const held = tight.run(() => new Promise<void>((resolve) => (release = resolve)));
      // Handled from the start: it may reject while the test is still awaiting the owner.
      const stranger = caught(
        t.auth.login({ email: "ghost@example.com", password: "Some long guess" }, from("192.0.2.9")),
      );
      await new Promise((resolve) => setTimeout(resolve, 50)); // let it take the one ordinary place
      expect(tight.hasRoom()).toBe(false);
      // The ordinary line is full: more strangers are shed, again and again, past every limit...
      for (let i = 0; i < limits.perDevice.points + limits.perAddress.points; i++) {
        const shed = await caught(t.auth.login({ ...account, password: "Wrong but long" }, from("192.0.2.10")));
        expect(shed.reason).toBe("overloaded");
      }
      // ...while the owner's device waits in its own line and signs in once the slot frees up.
      const owner = t.auth.login({ ...account, deviceToken }, from("192.0.2.11"));
      release();
      await held;
      await expect(owner).resolves.toMatchObject({ user: { email: account.email } });
      expect((await stranger).reason).toBe("invalid_credentials");
      // The shed attempts were refunded: the address and account limits are untouched.
      await expect(t.auth.login(account, from("192.0.2.10"))).resolves.toMatchObject({
        user: { email: account.email },
      });
    } finally {
      await t.database.close();
    }
  });

  it("sheds password checks with OVERLOADED when the argon2 queue is full, and recovers", async () => {
    const account = newAccount();
    await h.auth.register(account, from("192.0.2.5"));
    const tight = createPasswordHasher({ maxConcurrent: 1, maxWaiting: 1 });
    const t = await openHarness(backend, { throttle: throttle(), passwordHasher: tight });
    try {
      await createAccount(accountDeps(t), { ...account, role: "customer" });
      let release!: () => void;
      const held = tight.run(() => new Promise<void>((resolve) => (release = resolve)));
      // One slot held, one place to wait: of two logins one waits, the other is shed at once.
      const attempts = ["192.0.2.6", "192.0.2.7"].map((ip) =>
        t.auth.login(account, from(ip)).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
      );
      const first = await Promise.race(attempts);
      expect(first).toMatchObject({ error: { reason: "overloaded", details: { retryAfterSeconds: 1 } } });
      release();
      await held;
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter((outcome) => "result" in outcome)).toHaveLength(1);
      await expect(t.auth.login(account, from("192.0.2.7"))).resolves.toMatchObject({ user: { email: account.email } });
    } finally {
      await t.database.close();
    }
  });
});
