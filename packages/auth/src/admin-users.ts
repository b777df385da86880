// Admin-only account management. Anything that lowers a user's rights also ends their
// sessions, because access tokens carry the role and must not outlive the change.
import type { Database, Db, Role } from "@cartwheel/db";
import { and, count, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { KeyActor } from "./api-keys.ts";
import { DomainError, idSchema } from "@cartwheel/contracts";
import type { Sessions } from "./sessions.ts";
import type { UserSealing } from "./user-pii.ts";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
  /** When the owner proved the address (a mailed link); null while unverified. */
  emailVerifiedAt: Date | null;
}

interface AdminDeps {
  database: Database;
  now: () => Date;
  sessions: Sessions;
  /** The user an actor stands for (a key's owner); null when that user was deleted. */
  ownerOf: (actor: KeyActor) => Promise<string | null>;
  /** Told after a user's role or status changed, so caches of it are dropped. */
  onChanged: (userId: string) => void;
  sealing: UserSealing;
}

export function createAdminUsers({ database, now, sessions, ownerOf, onChanged, sealing }: AdminDeps) {
  const { db, schema: s } = database;
  const columns = {
    id: s.users.id,
    email: s.users.email,
    name: s.users.name,
    role: s.users.role,
    createdAt: s.users.createdAt,
    disabledAt: s.users.disabledAt,
    emailVerifiedAt: s.users.emailVerifiedAt,
  };
  const activeAdmin = and(eq(s.users.role, "admin"), isNull(s.users.disabledAt));

  // An admin who demotes or disables themselves (in person or through their key) could leave
  // nobody able to undo it; the last-admin check below covers the rest.
  async function refuseSelf(actor: KeyActor, userId: string) {
    if ((await ownerOf(actor)) === userId) {
      throw new DomainError("self_change", "You cannot change your own role or status.", {});
    }
  }

  /**
   * Applies the change and commits it only if an active admin remains. The first statement
   * is a no-op write to every active admin row: on PostgreSQL it row-locks them, so a
   * concurrent demotion waits, then re-reads them and sees this one's outcome; on SQLite
   * the write takes the database's write lock for the rest of the transaction.
   */
  function changeKeepingAnAdmin(userId: string, values: Partial<{ role: Role; disabledAt: Date | null }>) {
    return database.transaction(async (tx: Db) => {
      await tx
        .update(s.users)
        .set({ updatedAt: sql`${s.users.updatedAt}` })
        .where(activeAdmin);
      const [before] = await tx
        .select({ role: s.users.role, disabledAt: s.users.disabledAt })
        .from(s.users)
        .where(eq(s.users.id, userId));
      if (!before) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
      const [row] = await tx
        .update(s.users)
        .set({ ...values, updatedAt: now() })
        .where(eq(s.users.id, userId))
        .returning(columns);
      const [admins] = await tx.select({ n: count() }).from(s.users).where(activeAdmin);
      const wasActiveAdmin = before.role === "admin" && !before.disabledAt;
      if (wasActiveAdmin && (admins?.n ?? 0) === 0) {
        throw new DomainError("last_admin", "This would leave no active admin. Make someone else an admin first.", {});
      }
      return { user: sealing.openUser(row!), roleBefore: before.role };
    });
  }

  return {
    /**
     * Newest first; UUIDv7 ids are time-ordered, so the id alone is the keyset cursor. `q`
     * finds the account with exactly that e-mail address (in any case) or that id: names
     * and addresses are sealed, so nothing can match a part of them.
     */
    async list(input: { cursor?: string; limit: number; q?: string }) {
      const search = input.q?.trim();
      // An id holds no @, so a search that parses as one cannot be an address.
      const asId = search ? idSchema.safeParse(search) : undefined;
      const matching = search ? (asId?.success ? eq(s.users.id, asId.data) : sealing.byEmail(search)) : undefined;
      const rows = await db
        .select(columns)
        .from(s.users)
        .where(and(input.cursor ? lt(s.users.id, input.cursor) : undefined, matching))
        .orderBy(desc(s.users.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit).map(sealing.openUser);
      return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
    },

    async setRole(actor: KeyActor, userId: string, role: Role): Promise<UserSummary> {
      await refuseSelf(actor, userId);
      const { user, roleBefore } = await changeKeepingAnAdmin(userId, { role });
      onChanged(userId);
      if (roleBefore !== role) await sessions.revokeAllForUser(userId, "role_changed");
      return user;
    },

    async disable(actor: KeyActor, userId: string): Promise<UserSummary> {
      await refuseSelf(actor, userId);
      const { user } = await changeKeepingAnAdmin(userId, { disabledAt: now() });
      onChanged(userId);
      await sessions.revokeAllForUser(userId, "user_disabled");
      return user;
    },

    async enable(userId: string): Promise<UserSummary> {
      const [row] = await db
        .update(s.users)
        .set({ disabledAt: null, updatedAt: now() })
        .where(eq(s.users.id, userId))
        .returning(columns);
      if (!row) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
      onChanged(userId);
      return sealing.openUser(row);
    },
  };
}
