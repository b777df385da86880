import type { Database, Db, Role } from "@cartwheel/db";
import { singleFlight } from "./single-flight.ts";
import type { Logger } from "@cartwheel/observability";
import { normaliseEmail } from "@cartwheel/pii";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import { createAccessTokenVerifier, signAccessToken } from "./access-token.ts";
import { createAccountFlows, type CheckYourEmail } from "./account-flows.ts";
import { createAccountMailThrottle, type AccountMailThrottle } from "./account-mail-throttle.ts";
import { ACCOUNT_TOKEN_TTL_SECONDS, createAccountTokens, invalidAccountToken } from "./account-tokens.ts";
import { createAccount, type PublicUser } from "./accounts.ts";
import { createActiveUsers } from "./active-users.ts";
import { createAdminUsers } from "./admin-users.ts";
import { API_KEY_PREFIX, createApiKeys, type KeyActor } from "./api-keys.ts";
import { createDeviceTokens } from "./device-tokens.ts";
import { DomainError, type EventRecorder } from "@cartwheel/contracts";
import { invalidCredentials } from "./errors.ts";
import {
  createDummyHash,
  PasswordCheckAbandoned,
  PasswordQueueFull,
  passwordProblem,
  sharedPasswordHasher,
  type PasswordHasher,
} from "./passwords.ts";
import { createMemoryRevocationStore, type RevocationStore } from "./revocations.ts";
import { createSessions, type IssuedRefreshToken, type RequestMeta } from "./sessions.ts";
import { createLoginThrottle, type LoginAttempt, type LoginThrottle } from "./throttle.ts";
import { createErasure, type ErasureStep } from "./erasure.ts";
import { createUserSealing, type UserSealingDeps } from "./user-pii.ts";

export { type PublicUser } from "./accounts.ts";

/** `pii` and `emailIndexKey` seal names, addresses and session details (user-pii.ts). */
export interface AuthServiceDeps extends UserSealingDeps {
  database: Database;
  now: () => Date;
  logger: Logger;
  /** HS256 key for access tokens (AUTH_SECRET), at least 32 bytes; device tokens derive their own key from it. */
  secret: Uint8Array;
  /** Defaults to memory; pass the Redis store when several instances must agree. */
  revocations?: RevocationStore;
  /** Defaults to memory; pass one built with Redis when several instances must agree. */
  throttle?: LoginThrottle;
  /** Defaults to the process-wide argon2 queue. */
  passwordHasher?: PasswordHasher;
  /** Records the account events (registration, reset requests) in the outbox; absent, none are recorded. */
  events?: EventRecorder<Db>;
  /** Defaults to memory; pass one built with Redis when several instances must agree. */
  accountMailThrottle?: AccountMailThrottle;
  /** REQUIRE_VERIFIED_EMAIL: placing an order needs a verified address (see mayOrder). */
  requireVerifiedEmail?: boolean;
  /** Production names the cookies `__Host-…`, which pins them to HTTPS, this host and path "/". */
  production?: boolean;
  /** What other packages remove when a customer is erased (saved addresses, order addresses). */
  erasureSteps?: readonly ErasureStep[];
}

/** Same shape as @cartwheel/api's Actor (this package cannot import the API layer). */
export interface AuthenticatedActor {
  kind: "user" | "apiKey";
  id: string;
  role: Role;
  sessionId: string | null;
}

export interface SignedIn {
  user: PublicUser;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** A sign-in by password also proves the device: later attempts from it are throttled per device. */
export interface SignedInWithDevice extends SignedIn {
  deviceToken: string;
  deviceTokenExpiresAt: Date;
}

/** Shedding an argon2 run is retried soon: the queue holds about a second of work. */
const OVERLOADED_RETRY_SECONDS = 1;

const throttled = (seconds: number) =>
  new DomainError("throttled", `Too many failed attempts. Try again in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });

/** Password checks shed under load: a full queue becomes OVERLOADED (503 + Retry-After). */
async function shedWhenFull<T>(job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (error) {
    if (!(error instanceof PasswordQueueFull)) throw error;
    throw new DomainError("overloaded", "The server is busy checking passwords. Try again in a moment.", {
      retryAfterSeconds: OVERLOADED_RETRY_SECONDS,
    });
  }
}

export function createAuthService(deps: AuthServiceDeps) {
  if (deps.secret.byteLength < 32) throw new Error("The auth secret must be at least 32 bytes.");
  const { database, now, logger, secret } = deps;
  const { db, schema: s } = database;
  const hasher = deps.passwordHasher ?? sharedPasswordHasher;
  const revocations = deps.revocations ?? createMemoryRevocationStore(now);
  const throttle = deps.throttle ?? createLoginThrottle();
  const sealing = createUserSealing(deps, database);
  const sessions = createSessions({ database, now, logger, revocations, sealing });
  const apiKeys = createApiKeys({ database, now });
  const activeUsers = createActiveUsers({ database, now });
  // One lookup for every stream of a session that asks about the same event (single-flight).
  const stillAuthorized = singleFlight(
    async (actor: { kind: "user" | "apiKey"; id: string; sessionId: string | null }) => {
      if (actor.kind === "apiKey") return apiKeys.isLive(actor.id);
      if (!actor.sessionId || (await revocations.isRevoked(actor.sessionId))) return false;
      return activeUsers.isActive(actor.id);
    },
    (actor) => `${actor.kind}:${actor.id}:${actor.sessionId ?? ""}`,
  );
  const users = createAdminUsers({
    database,
    now,
    sessions,
    ownerOf: apiKeys.ownerOf,
    onChanged: activeUsers.forget,
    sealing,
  });
  const erasure = createErasure({
    database,
    now,
    sessions,
    sealing,
    ownerOf: apiKeys.ownerOf,
    onChanged: activeUsers.forget,
    steps: deps.erasureSteps ?? [],
  });
  const deviceTokens = createDeviceTokens(secret, now);
  const verifyAccessToken = createAccessTokenVerifier(secret);
  const accountTokens = createAccountTokens({ database, now, secret });
  const flows = createAccountFlows({
    database,
    logger,
    events: deps.events,
    throttle: deps.accountMailThrottle ?? createAccountMailThrottle(),
    sealing,
  });
  // Made on first use and again after a failure (a full queue at start must not poison it).
  let dummyHash: Promise<string> | undefined;
  const unknownUserHash = () =>
    (dummyHash ??= createDummyHash(hasher).catch((error: unknown) => {
      dummyHash = undefined;
      throw error;
    }));

  const publicColumns = {
    id: s.users.id,
    email: s.users.email,
    name: s.users.name,
    role: s.users.role,
    createdAt: s.users.createdAt,
  };

  const findUser = async (where: SQL) => {
    const [row] = await db
      .select({
        ...publicColumns,
        passwordHash: s.users.passwordHash,
        disabledAt: s.users.disabledAt,
        emailVerifiedAt: s.users.emailVerifiedAt,
      })
      .from(s.users)
      .where(where);
    return row && sealing.openUser(row);
  };

  function signedIn(user: PublicUser, issued: IssuedRefreshToken): SignedIn {
    const access = signAccessToken(secret, { userId: user.id, sessionId: issued.sessionId, role: user.role }, now());
    return {
      user,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: issued.refreshToken,
      refreshTokenExpiresAt: issued.expiresAt,
    };
  }

  function withDevice(result: SignedIn): SignedInWithDevice {
    const device = deviceTokens.issue(result.user.email);
    return { ...result, deviceToken: device.token, deviceTokenExpiresAt: device.expiresAt };
  }

  /** Counts the attempt against the throttle; THROTTLED when over it. */
  async function admit(attempt: LoginAttempt) {
    const wait = await throttle.attempt(attempt);
    if (wait === null) return;
    logger.warn(
      { event: "login_throttled", ip: attempt.ip, trustedDevice: attempt.deviceId !== null },
      "sign-in throttled",
    );
    throw throttled(wait);
  }

  /** The caller's profile, with whether the address is verified (shown to its owner). */
  async function me(userId: string): Promise<PublicUser & { emailVerified: boolean }> {
    const [user] = await db
      .select({ ...publicColumns, emailVerifiedAt: s.users.emailVerifiedAt })
      .from(s.users)
      .where(eq(s.users.id, userId));
    if (!user) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
    const { emailVerifiedAt, ...profile } = sealing.openUser(user);
    return { ...profile, emailVerified: emailVerifiedAt !== null };
  }

  /** Checks an admitted attempt's password; one shed under load gives its throttle points back. */
  async function judge(attempt: LoginAttempt, check: () => Promise<boolean>): Promise<boolean> {
    try {
      return await shedWhenFull(check);
    } catch (error) {
      // Never judged, so it must not use up the owner's (or anyone's) allowance.
      const unjudged =
        (error instanceof DomainError && error.reason === "overloaded") || error instanceof PasswordCheckAbandoned;
      if (unjudged) await throttle.refund(attempt);
      throw error;
    }
  }

  return {
    cookieName: deps.production ? "__Host-cartwheel_refresh" : "cartwheel_refresh",
    deviceCookieName: deps.production ? "__Host-cartwheel_device" : "cartwheel_device",
    users,
    apiKeys,
    accountTokens,
    passwordResetTtlSeconds: ACCOUNT_TOKEN_TTL_SECONDS.password_reset,
    requestPasswordReset: flows.requestPasswordReset,
    resendVerification: flows.resendVerification,
    sendPasswordReset: flows.sendPasswordReset,
    mailRecipient: flows.mailRecipient,

    /**
     * New accounts are always customers; only an admin can raise a role. The answer is the
     * same for an address that already has an account (its owner is told by mail), so it
     * signs nobody in: the caller signs in next, or follows the mailed link. Both paths hash
     * the password first, so they take about as long.
     */
    async register(
      input: { email: string; password: string; name: string },
      meta: RequestMeta,
    ): Promise<CheckYourEmail> {
      try {
        const user = await shedWhenFull(() =>
          createAccount(
            { database, now, hasher, pii: deps.pii, emailIndexKey: deps.emailIndexKey },
            { ...input, role: "customer" },
            { onCreated: (tx, created) => flows.recordRegistered(tx, created.id) },
          ),
        );
        logger.info({ event: "signup", userId: user.id }, "account created");
        return { status: "check_your_email" };
      } catch (error) {
        if (!(error instanceof DomainError && error.is("email_taken"))) throw error;
        return flows.registrationRepeated(normaliseEmail(input.email), meta);
      }
    },

    /** `deviceToken` is the one a previous sign-in to this account returned (cookie or body). */
    async login(
      input: { email: string; password: string; deviceToken?: string | null },
      meta: RequestMeta,
    ): Promise<SignedInWithDevice> {
      const email = normaliseEmail(input.email);
      const attempt = { email, ip: meta.ip, deviceId: deviceTokens.verify(input.deviceToken, email) };
      const priority = attempt.deviceId !== null;
      await admit(attempt);
      // Shed before the database is asked anything: under a flood, rejecting must stay cheap.
      if (!hasher.hasRoom({ priority })) await judge(attempt, () => Promise.reject(new PasswordQueueFull()));
      const user = await findUser(sealing.byEmail(email));
      // Unknown emails still pay for one argon2 verification, so timing does not reveal accounts.
      const passwordOk = await judge(attempt, async () =>
        hasher.verify(user?.passwordHash ?? (await unknownUserHash()), input.password, {
          priority,
          signal: meta.signal,
        }),
      );
      if (!user || !passwordOk || user.disabledAt) {
        logger.info({ event: "login_failed", userId: user?.id ?? null, ip: meta.ip }, "sign-in failed");
        throw invalidCredentials();
      }
      await throttle.succeeded(attempt);
      logger.info({ event: "login", userId: user.id }, "signed in");
      const { passwordHash: _hash, disabledAt: _disabled, emailVerifiedAt: _verified, ...publicUser } = user;
      return withDevice(signedIn(publicUser, await sessions.start(user.id, meta)));
    },

    async refresh(refreshToken: string, meta: RequestMeta): Promise<SignedIn> {
      const issued = await sessions.rotate(refreshToken, meta);
      const [user] = await db.select(publicColumns).from(s.users).where(eq(s.users.id, issued.userId));
      return signedIn(sealing.openUser(user!), issued);
    },

    /** Ends the caller's session, found by access token (sid) and/or refresh token. */
    async logout(input: { sessionId?: string | null; userId?: string | null; refreshToken?: string | null }) {
      if (input.sessionId && input.userId) await sessions.revokeSession(input.userId, input.sessionId, "logout");
      if (input.refreshToken) await sessions.revokeByRefreshToken(input.refreshToken, "logout");
    },

    /**
     * Who presented this bearer credential. An access token that is not valid now (bad
     * signature, expired, revoked session, user disabled or deleted) gives null: the caller
     * is anonymous and the client refreshes. An API key that is not valid throws
     * INVALID_API_KEY saying why, since a script sending a key never means to be anonymous.
     */
    async authenticate(credential: string): Promise<AuthenticatedActor | null> {
      if (credential.startsWith(API_KEY_PREFIX)) {
        const key = await apiKeys.verify(credential);
        return { kind: "apiKey", id: key.id, role: key.role, sessionId: null };
      }
      const claims = verifyAccessToken(credential, now());
      if (!claims || (await revocations.isRevoked(claims.sid))) return null;
      if (!(await activeUsers.isActive(claims.sub))) return null;
      return { kind: "user", id: claims.sub, role: claims.role, sessionId: claims.sid };
    },

    /**
     * Whether a caller authenticated earlier may still be served (long-lived streams ask
     * before each event): the session not revoked (logout, disable, a role change) and the
     * user active; for an API key, the key still live.
     */
    stillAuthorized,

    /** Uncached: whether the user exists and is enabled right now (for errors that hint otherwise). */
    isActiveUser: (userId: string) => activeUsers.isActive(userId, { fresh: true }),

    me,

    /** Refuses with email_unverified when the shop requires a verified address and this one is not. */
    async assertMayOrder(userId: string): Promise<void> {
      if (!deps.requireVerifiedEmail) return;
      const user = await findUser(eq(s.users.id, userId));
      if (user && user.emailVerifiedAt === null) {
        throw new DomainError(
          "email_unverified",
          "Confirm your e-mail address before placing an order: open the link we mailed you, or ask for a new one.",
          {},
        );
      }
    },

    /** The caller as `cartwheel whoami` shows it: a user, or an API key with its owner's capped role. */
    async whoami(actor: KeyActor & { role: Role }) {
      if (actor.kind === "user") return { kind: "user" as const, user: await me(actor.id) };
      const key = await apiKeys.describe(actor.id);
      return {
        kind: "apiKey" as const,
        apiKey: { id: key.id, name: key.name, role: actor.role, keyRole: key.role, expiresAt: key.expiresAt },
      };
    },

    async sessions(userId: string, currentSessionId: string | null) {
      const live = await sessions.listLive(userId);
      return live.map((session) => ({ ...session, current: session.id === currentSessionId }));
    },

    async revokeSession(userId: string, sessionId: string): Promise<void> {
      const count = await sessions.revokeSession(userId, sessionId, "revoked_by_user");
      if (count === 0)
        throw new DomainError("not_found", "No such active session.", { entity: "session", ids: [sessionId] });
    },

    /** An admin erases a customer's personal data (erasure.ts); orders stay, for accounting. */
    eraseUser: (actor: KeyActor, userId: string) => erasure.eraseUser(actor, userId),

    /**
     * The customer erases their own account, after entering the password again (throttled
     * per session, like changePassword), so a borrowed, unlocked session cannot do it.
     */
    async eraseOwnAccount(actor: { userId: string; sessionId: string }, password: string, meta: RequestMeta) {
      const user = await findUser(eq(s.users.id, actor.userId));
      if (!user) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [actor.userId] });
      const attempt = { email: user.email, ip: meta.ip, deviceId: `session:${actor.sessionId}` };
      await admit(attempt);
      if (!(await judge(attempt, () => hasher.verify(user.passwordHash, password, { priority: true })))) {
        throw new DomainError("invalid_input", "The password is incorrect.", { field: "password" });
      }
      await throttle.succeeded(attempt);
      const erased = await erasure.eraseOwnAccount(user.id);
      logger.info({ event: "account_erased", userId: user.id, by: "owner" }, "account erased by its owner");
      return erased;
    },

    revokeOtherSessions: (userId: string, currentSessionId: string | null) =>
      sessions.revokeAllForUser(userId, "revoked_by_user", currentSessionId ?? undefined),

    /**
     * Verifies the current password, then ends every other session. Throttled per session (as
     * a device): whoever holds the session gets few guesses, and strangers failing to sign in
     * to the account cannot stop its owner from changing the password.
     */
    async changePassword(
      actor: { userId: string; sessionId: string },
      input: { currentPassword: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<void> {
      const user = await findUser(eq(s.users.id, actor.userId));
      if (!user) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [actor.userId] });
      const attempt = { email: user.email, ip: meta.ip, deviceId: `session:${actor.sessionId}` };
      await admit(attempt);
      const priority = { priority: true }; // a live session is as known as a device gets
      if (!(await judge(attempt, () => hasher.verify(user.passwordHash, input.currentPassword, priority)))) {
        throw new DomainError("invalid_input", "The current password is incorrect.", { field: "currentPassword" });
      }
      await throttle.succeeded(attempt);
      const problem = passwordProblem(input.newPassword, user.email);
      if (problem) throw new DomainError("invalid_password", problem, { field: "newPassword" });
      const passwordHash = await shedWhenFull(() => hasher.hash(input.newPassword));
      await db.update(s.users).set({ passwordHash, updatedAt: now() }).where(eq(s.users.id, user.id));
      await sessions.revokeAllForUser(user.id, "password_changed", actor.sessionId);
      logger.info({ event: "password_changed", userId: user.id }, "password changed");
    },

    /**
     * Sets a new password from a mailed reset link, then ends every session of the account.
     * The link is checked before the (queued, sheddable) hash and used up only with the new
     * hash, in one transaction: an overloaded server or a password the rules refuse leaves
     * the link working.
     */
    async resetPassword(input: { token: string; newPassword: string }): Promise<void> {
      const holder = await accountTokens.peek("password_reset", input.token);
      const user = holder && (await findUser(eq(s.users.id, holder.userId)));
      if (!user || user.disabledAt) throw invalidAccountToken();
      const problem = passwordProblem(input.newPassword, user.email);
      if (problem) throw new DomainError("invalid_password", problem, { field: "newPassword" });
      const passwordHash = await shedWhenFull(() => hasher.hash(input.newPassword));
      await database.transaction(async (tx) => {
        await accountTokens.redeem(tx, "password_reset", input.token);
        // Reaching the mailbox proves the address as well as a verification link would.
        await tx
          .update(s.users)
          .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now(), updatedAt: now() })
          .where(eq(s.users.id, user.id));
      });
      await sessions.revokeAllForUser(user.id, "password_reset");
      logger.info({ event: "password_reset", userId: user.id }, "password reset from a mailed link");
    },

    /** Marks the account's address verified from a mailed link. */
    async verifyEmail(input: { token: string }): Promise<void> {
      const userId = await database.transaction(async (tx) => {
        const redeemed = await accountTokens.redeem(tx, "email_verification", input.token);
        await tx
          .update(s.users)
          .set({ emailVerifiedAt: now(), updatedAt: now() })
          .where(and(eq(s.users.id, redeemed.userId), isNull(s.users.emailVerifiedAt)));
        return redeemed.userId;
      });
      logger.info({ event: "email_verified", userId }, "e-mail address verified");
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
