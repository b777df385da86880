// Admin-only account management. Anything that lowers a user's rights also ends their
// sessions, because access tokens carry the role and must not outlive the change.
import type { Database, Role } from "@cartwheel/db";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { AuthError } from "./errors.ts";
import type { Sessions } from "./sessions.ts";

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
}

// An admin who demotes or disables themselves could leave nobody able to undo it.
function refuseSelf(actorId: string, userId: string) {
  if (actorId === userId) throw new AuthError("SELF_CHANGE", "You cannot change your own role or status.");
}

interface AdminDeps {
  database: Database;
  now: () => Date;
  sessions: Sessions;
}

export function createAdminUsers({ database, now, sessions }: AdminDeps) {
  const { db, schema: s } = database;
  const columns = {
    id: s.users.id,
    email: s.users.email,
    name: s.users.name,
    role: s.users.role,
    createdAt: s.users.createdAt,
    disabledAt: s.users.disabledAt,
  };

  async function update(userId: string, values: Partial<{ role: Role; disabledAt: Date | null }>) {
    const [row] = await db
      .update(s.users)
      .set({ ...values, updatedAt: now() })
      .where(eq(s.users.id, userId))
      .returning(columns);
    if (!row) throw new AuthError("NOT_FOUND", "No such user.");
    return row;
  }

  return {
    /** Newest first; UUIDv7 ids are time-ordered, so the id alone is the keyset cursor. */
    async list(input: { cursor?: string; limit: number; q?: string }) {
      const search = input.q?.trim();
      const rows = await db
        .select(columns)
        .from(s.users)
        .where(
          and(
            input.cursor ? lt(s.users.id, input.cursor) : undefined,
            search
              ? or(database.textSearch(s.users.email, search), database.textSearch(s.users.name, search))
              : undefined,
          ),
        )
        .orderBy(desc(s.users.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      return { items, nextCursor: rows.length > input.limit ? items.at(-1)!.id : null };
    },

    async setRole(actorId: string, userId: string, role: Role): Promise<UserSummary> {
      refuseSelf(actorId, userId);
      const [before] = await db.select({ role: s.users.role }).from(s.users).where(eq(s.users.id, userId));
      const user = await update(userId, { role });
      if (before && before.role !== role) await sessions.revokeAllForUser(userId, "role_changed");
      return user;
    },

    async disable(actorId: string, userId: string): Promise<UserSummary> {
      refuseSelf(actorId, userId);
      const user = await update(userId, { disabledAt: now() });
      await sessions.revokeAllForUser(userId, "user_disabled");
      return user;
    },

    enable: (userId: string): Promise<UserSummary> => update(userId, { disabledAt: null }),
  };
}
