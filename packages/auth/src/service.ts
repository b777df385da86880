import { isUniqueViolation, type Database, type Role } from "@cartwheel/db";
import type { Logger } from "@cartwheel/observability";
import { eq, type SQL } from "drizzle-orm";
import { createAccessTokenVerifier, signAccessToken } from "./access-token.ts";
import { createAdminUsers } from "./admin-users.ts";
import { API_KEY_PREFIX, createApiKeys } from "./api-keys.ts";
import { AuthError, invalidCredentials } from "./errors.ts";
import { createDummyHash, hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { createMemoryRevocationStore, type RevocationStore } from "./revocations.ts";
import { createSessions, type IssuedRefreshToken, type RequestMeta } from "./sessions.ts";
import { createLoginThrottle, type LoginThrottle } from "./throttle.ts";

export interface AuthServiceDeps {
  database: Database;
  now: () => Date;
  logger: Logger;
  /** HS256 key for access tokens (AUTH_SECRET), at least 32 bytes. */
  secret: Uint8Array;
  /** Defaults to memory; pass the Redis store when several instances must agree. */
  revocations?: RevocationStore;
  /** Defaults to memory; pass one built with Redis when several instances must agree. */
  throttle?: LoginThrottle;
  /** Production names the cookie `__Host-…`, which pins it to HTTPS, this host and path "/". */
  production?: boolean;
}

/** Same shape as @cartwheel/api's Actor (this package cannot import the API layer). */
export interface AuthenticatedActor {
  kind: "user" | "apiKey";
  id: string;
  role: Role;
  sessionId: string | null;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface SignedIn {
  user: PublicUser;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const throttled = (seconds: number) =>
  new AuthError("THROTTLED", `Too many failed attempts. Try again in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });

/** Hashes a new password once it passes the rules; `field` addresses the error in the form. */
async function checkNewPassword(password: string, email: string, field: string): Promise<string> {
  const problem = passwordProblem(password, email);
  if (problem) throw new AuthError("INVALID_PASSWORD", problem, { field });
  return hashPassword(password);
}

export function createAuthService(deps: AuthServiceDeps) {
  if (deps.secret.byteLength < 32) throw new Error("The auth secret must be at least 32 bytes.");
  const { database, now, logger, secret } = deps;
  const { db, schema: s } = database;
  const revocations = deps.revocations ?? createMemoryRevocationStore(now);
  const throttle = deps.throttle ?? createLoginThrottle();
  const sessions = createSessions({ database, now, logger, revocations });
  const apiKeys = createApiKeys({ database, now });
  const users = createAdminUsers({ database, now, sessions });
  const verifyAccessToken = createAccessTokenVerifier(secret);
  const dummyHash = createDummyHash();
  dummyHash.catch(() => {}); // Awaited at first use; this only silences an early unhandled rejection.

  const publicColumns = {
    id: s.users.id,
    email: s.users.email,
    name: s.users.name,
    role: s.users.role,
    createdAt: s.users.createdAt,
  };

  const findUser = async (where: SQL) => {
    const [row] = await db
      .select({ ...publicColumns, passwordHash: s.users.passwordHash, disabledAt: s.users.disabledAt })
      .from(s.users)
      .where(where);
    return row;
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

  return {
    cookieName: deps.production ? "__Host-cartwheel_refresh" : "cartwheel_refresh",
    users,
    apiKeys,

    /** New accounts are always customers; only an admin can raise a role. */
    async register(input: { email: string; password: string; name: string }, meta: RequestMeta): Promise<SignedIn> {
      const email = normalizeEmail(input.email);
      const passwordHash = await checkNewPassword(input.password, email, "password");
      const at = now();
      const [user] = await db
        .insert(s.users)
        .values({ email, passwordHash, name: input.name.trim(), role: "customer", createdAt: at, updatedAt: at })
        .returning(publicColumns)
        .catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          throw new AuthError("EMAIL_TAKEN", "An account with this email already exists.", { field: "email" });
        });
      if (!user) throw new Error("insert returned no row");
      logger.info({ event: "signup", userId: user.id }, "account created");
      return signedIn(user, await sessions.start(user.id, meta));
    },

    async login(input: { email: string; password: string }, meta: RequestMeta): Promise<SignedIn> {
      const email = normalizeEmail(input.email);
      const wait = await throttle.attempt(email, meta.ip);
      if (wait !== null) {
        logger.warn({ event: "login_throttled", ip: meta.ip }, "sign-in throttled");
        throw throttled(wait);
      }
      const user = await findUser(eq(s.users.email, email));
      // Unknown emails still pay for one argon2 verification, so timing does not reveal accounts.
      const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
      if (!user || !passwordOk || user.disabledAt) {
        logger.info({ event: "login_failed", userId: user?.id ?? null, ip: meta.ip }, "sign-in failed");
        throw invalidCredentials();
      }
      await throttle.succeeded(email, meta.ip);
      logger.info({ event: "login", userId: user.id }, "signed in");
      const { passwordHash: _hash, disabledAt: _disabled, ...publicUser } = user;
      return signedIn(publicUser, await sessions.start(user.id, meta));
    },

    async refresh(refreshToken: string, meta: RequestMeta): Promise<SignedIn> {
      const issued = await sessions.rotate(refreshToken, meta);
      const [user] = await db.select(publicColumns).from(s.users).where(eq(s.users.id, issued.userId));
      return signedIn(user!, issued);
    },

    /** Ends the caller's session, found by access token (sid) and/or refresh token. */
    async logout(input: { sessionId?: string | null; userId?: string | null; refreshToken?: string | null }) {
      if (input.sessionId && input.userId) await sessions.revokeSession(input.userId, input.sessionId, "logout");
      if (input.refreshToken) await sessions.revokeByRefreshToken(input.refreshToken, "logout");
    },

    /**
     * Who presented this bearer credential, or null when it is not valid now: bad
     * signature, expired, revoked session, or an unknown, revoked or expired API key.
     */
    async authenticate(credential: string): Promise<AuthenticatedActor | null> {
      if (credential.startsWith(API_KEY_PREFIX)) {
        const key = await apiKeys.verify(credential);
        return key && { kind: "apiKey", id: key.id, role: key.role, sessionId: null };
      }
      const claims = verifyAccessToken(credential, now());
      if (!claims || (await revocations.isRevoked(claims.sid))) return null;
      return { kind: "user", id: claims.sub, role: claims.role, sessionId: claims.sid };
    },

    async me(userId: string): Promise<PublicUser> {
      const [user] = await db.select(publicColumns).from(s.users).where(eq(s.users.id, userId));
      if (!user) throw new AuthError("NOT_FOUND", "No such user.");
      return user;
    },

    async sessions(userId: string, currentSessionId: string | null) {
      const live = await sessions.listLive(userId);
      return live.map((session) => ({ ...session, current: session.id === currentSessionId }));
    },

    async revokeSession(userId: string, sessionId: string): Promise<void> {
      const count = await sessions.revokeSession(userId, sessionId, "revoked_by_user");
      if (count === 0) throw new AuthError("NOT_FOUND", "No such active session.");
    },

    revokeOtherSessions: (userId: string, currentSessionId: string | null) =>
      sessions.revokeAllForUser(userId, "revoked_by_user", currentSessionId ?? undefined),

    /** Verifies the current password (throttled like sign-in), then ends every other session. */
    async changePassword(
      actor: { userId: string; sessionId: string | null },
      input: { currentPassword: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<void> {
      const user = await findUser(eq(s.users.id, actor.userId));
      if (!user) throw new AuthError("NOT_FOUND", "No such user.");
      const wait = await throttle.attempt(user.email, meta.ip);
      if (wait !== null) throw throttled(wait);
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new AuthError("INVALID_INPUT", "The current password is incorrect.", { field: "currentPassword" });
      }
      await throttle.succeeded(user.email, meta.ip);
      const passwordHash = await checkNewPassword(input.newPassword, user.email, "newPassword");
      await db.update(s.users).set({ passwordHash, updatedAt: now() }).where(eq(s.users.id, user.id));
      await sessions.revokeAllForUser(user.id, "password_changed", actor.sessionId ?? undefined);
      logger.info({ event: "password_changed", userId: user.id }, "password changed");
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
