// Writes that must not race an account being disabled or erased (a new session, a saved
// address, the erasure itself) start by taking the account's row. A no-op update is the one
// portable way to do it: on PostgreSQL it row-locks the user until the transaction ends, so
// an erasure and such a write run one after the other; on SQLite it takes the write lock.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Db } from "./database.ts";
import type { Role } from "./schema/index.ts";

export interface LockedUser {
  id: string;
  role: Role;
  disabledAt: Date | null;
  erasedAt: Date | null;
}

/** Locks the user's row inside `tx`; null when there is no such user, or (with `activeOnly`) it is disabled. */
export async function lockUser(
  tx: Db,
  { schema: s }: Database,
  userId: string,
  { activeOnly = false }: { activeOnly?: boolean } = {},
): Promise<LockedUser | null> {
  const u = s.users;
  const [row] = await tx
    .update(u)
    .set({ updatedAt: sql`${u.updatedAt}` })
    .where(and(eq(u.id, userId), activeOnly ? isNull(u.disabledAt) : undefined))
    .returning({ id: u.id, role: u.role, disabledAt: u.disabledAt, erasedAt: u.erasedAt });
  return row ?? null;
}
