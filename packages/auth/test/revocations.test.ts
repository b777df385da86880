// The sid revocation store: memory by default, Redis to share revocations between instances.
import { testBackends } from "@cartwheel/db/testing";
import { createRateLimiterFactory } from "@cartwheel/rate-limit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAuthService,
  createLoginThrottle,
  createMemoryRevocationStore,
  createRedisRevocationStore,
} from "../src/index.ts";
import { capturedLogger, fakeClock, meta, newAccount, openHarness, signUp } from "./harness.ts";

describe("memory revocation store", () => {
  it("forgets a revocation once every access token of that session has expired", async () => {
    const clock = fakeClock();
    const store = createMemoryRevocationStore(clock.now);
    await store.revoke("sid-1", 900);
    expect(await store.isRevoked("sid-1")).toBe(true);
    expect(await store.isRevoked("sid-2")).toBe(false);
    clock.advance(900);
    expect(await store.isRevoked("sid-1")).toBe(false);
  });
});

// Redis runs when TEST_REDIS_URL is set; under CI=true it always runs, so a missing server fails.
const redisUrl = process.env.TEST_REDIS_URL;
const redisBackends = redisUrl || process.env.CI === "true" ? testBackends() : [];

describe.each(redisBackends)("redis-backed revocation and throttling on %s", (backend) => {
  const clients: Redis[] = [];
  const connect = () => {
    if (!redisUrl) throw new Error("TEST_REDIS_URL is not set: Redis tests cannot run (CI=true never skips them)");
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    await connect().ping();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  it("a logout on one instance locks the token out on another on the next request", async () => {
    const h = await openHarness(backend);
    try {
      const secret = crypto.getRandomValues(new Uint8Array(32));
      const instance = () => {
        const logs = capturedLogger();
        const revocations = createRedisRevocationStore(connect(), { now: h.clock.now, logger: logs.logger });
        return createAuthService({
          database: h.database,
          now: h.clock.now,
          logger: logs.logger,
          secret,
          revocations,
          ...h.pii,
        });
      };
      const [a, b] = [instance(), instance()];
      const session = await signUp(a, newAccount(), meta);
      const actor = await b.authenticate(session.accessToken);
      expect(actor).not.toBeNull();
      await a.logout({ userId: actor!.id, sessionId: actor!.sessionId });
      expect(await b.authenticate(session.accessToken)).toBeNull();
    } finally {
      await h.database.close();
    }
  });

  it("failed-login limits are shared between instances", async () => {
    const limits = {
      perAccountIp: { points: 2, durationSeconds: 60 },
      perAccount: { points: 50, durationSeconds: 60 },
    };
    const [a, b] = [
      createLoginThrottle({ limiters: createRateLimiterFactory({ redis: connect() }), limits }),
      createLoginThrottle({ limiters: createRateLimiterFactory({ redis: connect() }), limits }),
    ];
    const attempt = { email: newAccount().email, ip: "192.0.2.1", deviceId: null };
    expect(await a.attempt(attempt)).toBeNull();
    expect(await b.attempt(attempt)).toBeNull();
    expect(await a.attempt(attempt)).toBeGreaterThan(0);
    await b.succeeded(attempt);
    expect(await a.attempt(attempt)).toBeNull();
  });
});

describe("stillAuthorized, asked by every stream of a session at once", () => {
  it("answers concurrent checks of one session with one revocation lookup, and looks again afterwards", async () => {
    const clock = fakeClock();
    const memory = createMemoryRevocationStore(clock.now);
    const lookups: string[] = [];
    const revocations = {
      revoke: (sessionId: string, ttlSeconds: number) => memory.revoke(sessionId, ttlSeconds),
      isRevoked: (sessionId: string) => {
        lookups.push(sessionId);
        return memory.isRevoked(sessionId);
      },
    };
    const h = await openHarness("sqlite-memory", { revocations });
    try {
      const actor = await h.auth.authenticate((await signUp(h.auth, newAccount(), meta)).accessToken);
      expect(actor).not.toBeNull();
      lookups.length = 0;

      const answers = await Promise.all(Array.from({ length: 10 }, () => h.auth.stillAuthorized(actor!)));
      expect(answers).toEqual(Array.from({ length: 10 }, () => true));
      expect(lookups).toEqual([actor!.sessionId]);

      // Nothing is remembered once the lookup settles: a logout shows on the very next check.
      await h.auth.logout({ userId: actor!.id, sessionId: actor!.sessionId });
      expect(await h.auth.stillAuthorized(actor!)).toBe(false);
      expect(lookups).toHaveLength(2);
    } finally {
      await h.database.close();
    }
  });
});
