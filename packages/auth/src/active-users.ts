import type { Database } from "@cartwheel/db";
import { eq } from "drizzle-orm";

/**
 * How long one instance trusts its answer to "does this user still exist and is not
 * disabled?". Disabling also revokes the user's sessions (shared through the revocation
 * store), so this bound matters for users deleted behind the service's back; within it,
 * a write that references the vanished user is mapped to UNAUTHORIZED by the API.
 */
export const ACTIVE_USER_CACHE_MS = 5_000;

interface ActiveUsers {
  isActive: (userId: string, options?: { fresh?: boolean }) => Promise<boolean>;
  /** Drops what this instance remembers about the user (after it changed them). */
  forget: (userId: string) => void;
}

export function createActiveUsers({ database, now }: { database: Database; now: () => Date }, capacity = 10_000) {
  const { db, schema: s } = database;
  const remembered = new Map<string, { active: boolean; until: number }>();

  const users: ActiveUsers = {
    async isActive(userId, options = {}) {
      const at = now().getTime();
      const known = remembered.get(userId);
      if (known && known.until > at && !options.fresh) return known.active;
      const [row] = await db.select({ disabledAt: s.users.disabledAt }).from(s.users).where(eq(s.users.id, userId));
      const active = row !== undefined && row.disabledAt === null;
      remembered.delete(userId); // re-inserted last: the map's order is oldest answer first
      if (remembered.size >= capacity) remembered.delete(remembered.keys().next().value!);
      remembered.set(userId, { active, until: at + ACTIVE_USER_CACHE_MS });
      return active;
    },
    forget: (userId) => void remembered.delete(userId),
  };
  return users;
}
