// The auth, users and apiKeys routers through createCaller: transports, CSRF, roles, error mapping.
import { createAuthService, createLoginThrottle } from "@cartwheel/auth";
import { createCommerceServices } from "@cartwheel/commerce";
import { testPii } from "@cartwheel/pii/testing";
import { DomainError } from "@cartwheel/contracts";
import { openTestDatabase, type TestDatabase, testBackends } from "@cartwheel/db/testing";
import { createLogger } from "@cartwheel/observability";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { createWebhookService, deriveWebhookSecretKey } from "@cartwheel/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Actor, Services } from "../src/context.ts";
import { appRouter } from "../src/root.ts";
import { createMemoryCookieJar, createTestContext, type TestContextOptions } from "../src/testing/context.ts";
import { createCallerFactory } from "../src/trpc.ts";

const createCaller = createCallerFactory(appRouter);
const COOKIE = "cartwheel_refresh";
const now = () => new Date(); // real clock: these flows never wait for time to pass

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The fields a refusal names: from input validation (a ZodError) or from the domain error's details. */
const fieldOf = (error: TRPCError) => {
  const { cause } = error;
  if (cause instanceof DomainError) return "field" in cause.details ? [cause.details.field] : [];
  return (cause as z.ZodError).issues.map((issue) => issue.path.join("."));
};

describe.each(testBackends())("auth routers on %s", (backend) => {
  let database: TestDatabase;
  let services: Services;
  let n = 0;
  const account = () => ({ email: `user${++n}@example.com`, password: "Purple otters swim", name: "Ada" });
  const call = (options: Omit<TestContextOptions, "services"> = {}) =>
    createCaller(createTestContext({ services, ...options }));
  /** Registration signs nobody in (it answers alike for taken addresses): register, then sign in. */
  const signUp = async (input: ReturnType<typeof account>, options: Omit<TestContextOptions, "services"> = {}) => {
    await call(options).auth.register(input);
    return call(options).auth.login({ email: input.email, password: input.password });
  };
  const actorOf = async (accessToken: string) => (await services.auth.authenticate(accessToken)) as Actor;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    const logger = createLogger({ level: "error" });
    const throttle = createLoginThrottle({
      limits: { perAccountIp: { points: 2, durationSeconds: 60 }, perAccount: { points: 100, durationSeconds: 60 } },
    });
    const secret = crypto.getRandomValues(new Uint8Array(32));
    // One set of keys for auth and commerce: each opens what the other sealed.
    const keys = testPii();
    const auth = createAuthService({ database, now, logger, secret, throttle, ...keys });
    services = {
      database,
      now,
      logger,
      auth,
      ...createCommerceServices({ database, now, ...keys }),
      webhooks: createWebhookService({ database, now, secretKey: deriveWebhookSecretKey(secret), allowPrivate: false }),
    };
  });
  afterAll(async () => {
    await database.close();
  });

  it("register reports password problems on their fields and answers a taken address as a new one", async () => {
    const input = account();
    const weak = await trpcError(call().auth.register({ ...input, password: "password" }));
    expect([weak.code, fieldOf(weak)]).toEqual(["BAD_REQUEST", ["password"]]);
    const sameAsEmail = await trpcError(call().auth.register({ ...input, password: input.email }));
    expect(fieldOf(sameAsEmail)).toEqual(["password"]);
    const badEmail = await trpcError(call().auth.register({ ...input, email: "not-an-email" }));
    expect(fieldOf(badEmail)).toEqual(["email"]);

    const created = await call().auth.register({ ...input, email: ` ${input.email.toUpperCase()} ` });
    expect(created).toEqual({ status: "check_your_email" });
    // A taken address gets the same answer, so sign-up cannot tell who has an account.
    expect(await call().auth.register(input)).toEqual(created);
    const login = await call().auth.login({ email: input.email, password: input.password });
    expect(login.user).toMatchObject({ email: input.email, role: "customer" });
  });

  it("cookie transport sets an HttpOnly SameSite=Lax cookie and keeps the token out of the body", async () => {
    const input = account();
    await call().auth.register(input);
    const cookies = createMemoryCookieJar();
    const result = await call({ cookies }).auth.login({ email: input.email, password: input.password });
    expect(result).not.toHaveProperty("refreshToken");
    const cookie = cookies.jar.get(COOKIE);
    expect(cookie?.options).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    expect(cookie?.options.maxAgeSeconds).toBeGreaterThan(604800 - 60); // seven days, as the session

    const refreshed = await call({ cookies, sameOrigin: true }).auth.refresh();
    expect(cookies.jar.get(COOKIE)?.value).not.toBe(cookie?.value);
    expect(await actorOf(refreshed.accessToken)).toMatchObject({ id: result.user.id });
  });

  it("refuses cookie-reliant refresh and logout from another origin (CSRF)", async () => {
    const input = account();
    const cookies = createMemoryCookieJar();
    const { accessToken } = await signUp(input, { cookies });
    const token = cookies.jar.get(COOKIE)!.value;
    const crossSite = { cookies, sameOrigin: false };
    expect((await trpcError(call(crossSite).auth.refresh())).code).toBe("FORBIDDEN");
    expect((await trpcError(call(crossSite).auth.logout())).code).toBe("FORBIDDEN");
    expect((await trpcError(call({ sameOrigin: false }).auth.logout())).code).toBe("FORBIDDEN");
    expect(cookies.jar.get(COOKIE)?.value).toBe(token);
    expect(await services.auth.authenticate(accessToken)).not.toBeNull();

    await call({ cookies, sameOrigin: true }).auth.logout();
    expect(cookies.jar.has(COOKIE)).toBe(false);
    expect(await services.auth.authenticate(accessToken)).toBeNull();
  });

  it("token transport returns the refresh token and needs no same-origin proof", async () => {
    const input = account();
    await call().auth.register(input);
    const crossSite = { sameOrigin: false };
    const login = await call(crossSite).auth.login({ ...input, transport: "token" });
    expect(login.refreshToken).toEqual(expect.any(String));
    const rotated = await call(crossSite).auth.refresh({ refreshToken: login.refreshToken! });
    expect(rotated.refreshToken).not.toBe(login.refreshToken);
    const actor = await actorOf(rotated.accessToken);
    await call({ ...crossSite, actor }).auth.logout();
    expect(await services.auth.authenticate(rotated.accessToken)).toBeNull();
  });

  it("answers unknown email and wrong password alike, then throttles with Retry-After", async () => {
    const input = account();
    await call().auth.register(input);
    const unknown = await trpcError(call({ ip: "192.0.2.10" }).auth.login({ ...input, email: "ghost@example.com" }));
    const wrong = await trpcError(call({ ip: "192.0.2.10" }).auth.login({ ...input, password: "Wrong but long" }));
    expect([wrong.code, wrong.message]).toEqual([unknown.code, unknown.message]);
    expect(wrong.code).toBe("UNAUTHORIZED");

    await trpcError(call({ ip: "192.0.2.10" }).auth.login({ ...input, password: "Wrong but long" }));
    const responseHeaders = new Headers();
    const limited = await trpcError(call({ ip: "192.0.2.10", responseHeaders }).auth.login(input));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(responseHeaders.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("serves me, sessions and changePassword to users, not to API keys", async () => {
    const input = account();
    const first = await signUp(input);
    const second = await call({ userAgent: "phone" }).auth.login(input);
    const actor = await actorOf(first.accessToken);
    expect(await call({ actor }).auth.me()).toEqual({ ...first.user, emailVerified: false });
    const sessions = await call({ actor }).auth.sessions();
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions).toHaveLength(2);
    expect(Object.keys(sessions[0]!).toSorted()).toEqual([
      "createdAt",
      "current",
      "id",
      "ip",
      "lastUsedAt",
      "userAgent",
    ]);

    const wrong = await trpcError(
      call({ actor }).auth.changePassword({ currentPassword: "Not my password", newPassword: "Brand new phrase" }),
    );
    expect([wrong.code, fieldOf(wrong)]).toEqual(["BAD_REQUEST", ["currentPassword"]]);
    await call({ actor }).auth.changePassword({ currentPassword: input.password, newPassword: "Brand new phrase" });
    expect(await services.auth.authenticate(second.accessToken)).toBeNull();

    const keyActor: Actor = { kind: "apiKey", id: crypto.randomUUID(), role: "admin", sessionId: null };
    expect((await trpcError(call({ actor: keyActor }).auth.me())).code).toBe("FORBIDDEN");
    expect((await trpcError(call().auth.me())).code).toBe("UNAUTHORIZED");
  });

  it("keeps users and apiKeys admin-only; an admin's disable locks the user out on the next request", async () => {
    const admin = await signUp(account());
    const { db, schema: s } = database;
    await db.update(s.users).set({ role: "admin" }).where(eq(s.users.id, admin.user.id));
    const adminActor: Actor = { kind: "user", id: admin.user.id, role: "admin", sessionId: null };
    const victim = await signUp(account());
    const victimActor = await actorOf(victim.accessToken);

    for (const role of ["customer", "staff"] as const) {
      const caller = call({ actor: { ...victimActor, role } });
      expect((await trpcError(caller.users.list())).code).toBe("FORBIDDEN");
      expect((await trpcError(caller.apiKeys.list())).code).toBe("FORBIDDEN");
    }

    const admins = call({ actor: adminActor });
    expect((await admins.users.list({ q: victim.user.email })).items.map((u) => u.id)).toEqual([victim.user.id]);
    await admins.users.disable({ userId: victim.user.id });
    expect(await services.auth.authenticate(victim.accessToken)).toBeNull();
    expect((await trpcError(admins.users.disable({ userId: admin.user.id }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(admins.users.enable({ userId: crypto.randomUUID() }))).code).toBe("NOT_FOUND");
    expect(await admins.users.setRole({ userId: victim.user.id, role: "staff" })).toMatchObject({ role: "staff" });

    const created = await admins.apiKeys.create({ name: "warehouse", role: "staff" });
    expect(await services.auth.authenticate(created.key)).toMatchObject({ kind: "apiKey", role: "staff" });
    expect(JSON.stringify(await admins.apiKeys.list())).not.toContain(created.key.split(".")[1]);
    const past = await trpcError(
      admins.apiKeys.create({ name: "old", role: "staff", expiresAt: "2000-01-01T00:00:00Z" }),
    );
    expect(fieldOf(past)).toEqual(["expiresAt"]);
    await admins.apiKeys.revoke({ id: created.id });
    await expect(services.auth.authenticate(created.key)).rejects.toMatchObject({
      reason: "invalid_api_key",
      message: "This API key was revoked.",
    });

    // An admin key acts for its owner: it cannot demote them, and whoami names the key.
    const key = await admins.apiKeys.create({ name: "ops", role: "admin" });
    const asKey = call({ actor: (await services.auth.authenticate(key.key)) as Actor });
    const self = await trpcError(asKey.users.setRole({ userId: admin.user.id, role: "customer" }));
    expect([self.code, self.message]).toEqual(["BAD_REQUEST", "You cannot change your own role or status."]);
    expect(await asKey.auth.whoami()).toMatchObject({ kind: "apiKey", apiKey: { name: "ops", role: "admin" } });
    // The victim, made admin, is refused when demoting the only other admin once that is the last one.
    await admins.users.enable({ userId: victim.user.id });
    await admins.users.setRole({ userId: victim.user.id, role: "admin" });
    const victimAdmin = call({ actor: { ...victimActor, role: "admin" } });
    await victimAdmin.users.setRole({ userId: admin.user.id, role: "customer" });
    const last = await trpcError(call({ actor: adminActor }).users.setRole({ userId: victim.user.id, role: "staff" }));
    expect(last.code).toBe("CONFLICT");
  });
});
