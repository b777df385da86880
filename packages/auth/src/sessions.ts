// Lucia's session model with rotating refresh tokens. A session is one sign-in on one
// device; its refresh tokens form the rotation family, one row per token issued.
import { type Database, type Db, lockUser, type Role } from "@cartwheel/db";
import type { Logger } from "@cartwheel/observability";
import { and, desc, eq, gt, isNull, ne, type SQL } from "drizzle-orm";
import { ACCESS_TOKEN_TTL_SECONDS } from "./access-token.ts";
import { generateSecret, hashSecret, secretMatches, splitToken } from "./crypto.ts";
import { invalidCredentials, invalidRefreshToken } from "./errors.ts";
import type { RevocationStore } from "./revocations.ts";
import type { UserSealing } from "./user-pii.ts";

export const SESSION_IDLE_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_ABSOLUTE_SECONDS = 30 * 24 * 60 * 60;
/** Two tabs refreshing with the same token at once must both succeed. */
export const REFRESH_GRACE_SECONDS = 10;

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** Aborts when the caller disconnects: queued password checks are then dropped. */
  signal?: AbortSignal;
}

export interface IssuedRefreshToken {
  userId: string;
  sessionId: string;
  refreshToken: string;
  /** Idle deadline, capped by the absolute one: the cookie's lifetime. */
  expiresAt: Date;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

interface SessionDeps {
  database: Database;
  now: () => Date;
  logger: Logger;
  revocations: RevocationStore;
  sealing: UserSealing;
}

const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

export function createSessions({ database, now, logger, revocations, sealing }: SessionDeps) {
  const { schema: s } = database;

  async function issueToken(tx: Db, sessionId: string, at: Date) {
    const secret = generateSecret();
    const [row] = await tx
      .insert(s.refreshTokens)
      .values({ sessionId, secretHash: hashSecret(secret), createdAt: at })
      .returning({ id: s.refreshTokens.id });
    return { id: row!.id, token: `${row!.id}.${secret}` };
  }

  async function start(userId: string, meta: RequestMeta): Promise<IssuedRefreshToken> {
    const at = now();
    const expiresAt = addSeconds(at, SESSION_IDLE_SECONDS);
    return database.transaction(async (tx) => {
      // An account disabled or erased since its password was checked gets no session.
      if (!(await lockUser(tx, database, userId, { activeOnly: true }))) throw invalidCredentials();
      const [session] = await tx
        .insert(s.sessions)
        .values({
          userId,
          ...sealing.sealSessionMeta(meta),
          createdAt: at,
          lastUsedAt: at,
          expiresAt,
          absoluteExpiresAt: addSeconds(at, SESSION_ABSOLUTE_SECONDS),
        })
        .returning({ id: s.sessions.id });
      const { token } = await issueToken(tx, session!.id, at);
      return { userId, sessionId: session!.id, refreshToken: token, expiresAt };
    });
  }

  /**
   * Trades a refresh token for a new one. Presenting a token that was already rotated
   * means two parties hold it (theft or a leaked backup), so the whole session dies,
   * unless it was rotated within the grace window: that is two tabs racing, and the
   * late one gets a fresh sibling token in the same session.
   */
  async function rotate(token: string, meta: RequestMeta): Promise<IssuedRefreshToken & { role: Role }> {
    const parsed = splitToken(token);
    if (!parsed) throw invalidRefreshToken();
    const at = now();
    const outcome = await database.transaction(async (tx) => {
      const [row] = await tx
        .select({
          secretHash: s.refreshTokens.secretHash,
          rotatedAt: s.refreshTokens.rotatedAt,
          sessionId: s.sessions.id,
          revokedAt: s.sessions.revokedAt,
          expiresAt: s.sessions.expiresAt,
          absoluteExpiresAt: s.sessions.absoluteExpiresAt,
          userId: s.users.id,
          role: s.users.role,
          disabledAt: s.users.disabledAt,
        })
        .from(s.refreshTokens)
        .innerJoin(s.sessions, eq(s.sessions.id, s.refreshTokens.sessionId))
        .innerJoin(s.users, eq(s.users.id, s.sessions.userId))
        .where(eq(s.refreshTokens.id, parsed.id));
      // A wrong secret is not treated as reuse: token ids alone must not let anyone end sessions.
      if (!row || !secretMatches(parsed.secret, row.secretHash)) return { kind: "invalid" } as const;
      if (row.revokedAt || row.disabledAt || at >= row.expiresAt || at >= row.absoluteExpiresAt) {
        return { kind: "invalid" } as const;
      }
      if (row.rotatedAt && at.getTime() - row.rotatedAt.getTime() > REFRESH_GRACE_SECONDS * 1000) {
        await tx
          .update(s.sessions)
          .set({ revokedAt: at, revokedReason: "refresh_token_reuse" })
          .where(eq(s.sessions.id, row.sessionId));
        return { kind: "reuse", sessionId: row.sessionId, userId: row.userId } as const;
      }
      const next = await issueToken(tx, row.sessionId, at);
      // Conditional, so of two concurrent rotations exactly one links the successor;
      // the other finds nothing to update and stands as a grace-window sibling.
      await tx
        .update(s.refreshTokens)
        .set({ rotatedAt: at, replacedById: next.id })
        .where(and(eq(s.refreshTokens.id, parsed.id), isNull(s.refreshTokens.rotatedAt)));
      const expiresAt = earlier(addSeconds(at, SESSION_IDLE_SECONDS), row.absoluteExpiresAt);
      await tx
        .update(s.sessions)
        .set({ lastUsedAt: at, expiresAt, ...sealing.sealSessionMeta(meta) })
        .where(eq(s.sessions.id, row.sessionId));
      const issued = { userId: row.userId, sessionId: row.sessionId, refreshToken: next.token, expiresAt };
      return { kind: "rotated", issued: { ...issued, role: row.role } } as const;
    });

    if (outcome.kind === "rotated") return outcome.issued;
    if (outcome.kind === "reuse") {
      await revocations.revoke(outcome.sessionId, ACCESS_TOKEN_TTL_SECONDS);
      logger.warn(
        { event: "refresh_token_reuse", sessionId: outcome.sessionId, userId: outcome.userId, ip: meta.ip },
        "refresh token reuse detected; session revoked",
      );
    }
    throw invalidRefreshToken();
  }

  /**
   * Ends matching live sessions: their refresh tokens at once (database), their access
   * tokens on the next request (revocation store, written after the update commits).
   */
  async function revokeWhere(condition: SQL | undefined, reason: string): Promise<number> {
    const revoked = await database.db
      .update(s.sessions)
      .set({ revokedAt: now(), revokedReason: reason })
      .where(and(condition, isNull(s.sessions.revokedAt)))
      .returning({ id: s.sessions.id });
    await Promise.all(revoked.map(({ id }) => revocations.revoke(id, ACCESS_TOKEN_TTL_SECONDS)));
    return revoked.length;
  }

  return {
    start,
    rotate,
    revokeSession: (userId: string, sessionId: string, reason: string) =>
      revokeWhere(and(eq(s.sessions.userId, userId), eq(s.sessions.id, sessionId)), reason),
    revokeAllForUser: (userId: string, reason: string, exceptSessionId?: string) =>
      revokeWhere(
        and(eq(s.sessions.userId, userId), exceptSessionId ? ne(s.sessions.id, exceptSessionId) : undefined),
        reason,
      ),

    /** Logout by refresh token: a token that does not verify changes nothing. */
    async revokeByRefreshToken(token: string, reason: string): Promise<void> {
      const parsed = splitToken(token);
      if (!parsed) return;
      const [row] = await database.db
        .select({ secretHash: s.refreshTokens.secretHash, sessionId: s.refreshTokens.sessionId })
        .from(s.refreshTokens)
        .where(eq(s.refreshTokens.id, parsed.id));
      if (row && secretMatches(parsed.secret, row.secretHash)) {
        await revokeWhere(eq(s.sessions.id, row.sessionId), reason);
      }
    },

    async listLive(userId: string): Promise<SessionInfo[]> {
      const at = now();
      const rows = await database.db
        .select({
          id: s.sessions.id,
          createdAt: s.sessions.createdAt,
          lastUsedAt: s.sessions.lastUsedAt,
          expiresAt: s.sessions.expiresAt,
          userAgent: s.sessions.userAgent,
          ip: s.sessions.ip,
        })
        .from(s.sessions)
        .where(and(eq(s.sessions.userId, userId), isNull(s.sessions.revokedAt), gt(s.sessions.expiresAt, at)))
        .orderBy(desc(s.sessions.lastUsedAt));
      return rows.map(sealing.openSessionMeta);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
