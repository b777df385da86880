import type { Logger } from "@cartwheel/observability";
import type { Cluster, Redis } from "ioredis";

/**
 * Sessions whose access tokens must stop working before they expire (logout, disable,
 * reuse detection). Entries only need to outlive the longest access token.
 */
export interface RevocationStore {
  revoke(sessionId: string, ttlSeconds: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

/** Per-process store: enough for one server instance. Expiry follows the injected clock. */
export function createMemoryRevocationStore(now: () => Date): RevocationStore {
  const revokedUntil = new Map<string, number>();
  return {
    async revoke(sessionId, ttlSeconds) {
      const at = now().getTime();
      for (const [id, until] of revokedUntil) if (until <= at) revokedUntil.delete(id);
      revokedUntil.set(sessionId, at + ttlSeconds * 1000);
    },
    async isRevoked(sessionId) {
      const until = revokedUntil.get(sessionId);
      return until !== undefined && until > now().getTime();
    },
  };
}

/**
 * Shared store for several instances. Every revocation is mirrored in memory, so this
 * instance stays exact while Redis is down; other instances may then accept a revoked
 * token until it expires (at most 15 minutes). That is chosen over failing closed,
 * which would sign every user out during a Redis outage.
 */
export function createRedisRevocationStore(
  redis: Redis | Cluster,
  options: { now: () => Date; logger: Logger; keyPrefix?: string },
): RevocationStore {
  const local = createMemoryRevocationStore(options.now);
  const key = (sessionId: string) => `${options.keyPrefix ?? "cartwheel:revoked-session:"}${sessionId}`;
  return {
    async revoke(sessionId, ttlSeconds) {
      await local.revoke(sessionId, ttlSeconds);
      try {
        await redis.set(key(sessionId), "1", "EX", ttlSeconds);
      } catch (error) {
        options.logger.warn(
          { sessionId, err: { message: (error as Error).message } },
          "session revocation not shared: redis unavailable",
        );
      }
    },
    async isRevoked(sessionId) {
      if (await local.isRevoked(sessionId)) return true;
      try {
        return (await redis.exists(key(sessionId))) > 0;
      } catch {
        return false; // Fail open, bounded by the access token's lifetime (see above).
      }
    },
  };
}
