// Erasing a customer (GDPR's right to erasure): an admin's request, or the customer's own with
// their password. The account row stays, so orders keep their customer for accounting, but
// everything personal in it is replaced: the name reads "Erased customer", the address is one
// that cannot receive mail, the password can never match. Sessions are revoked (their access
// tokens fail on the next request) and lose their IP and user agent; API keys the account
// made are revoked; other packages remove what they hold (saved addresses, the addresses of
// finished orders) in the same transaction. The audit trail records who erased whom and when.
import { type Database, type Db, lockUser } from "@cartwheel/db";
import { DomainError } from "@cartwheel/contracts";
import { and, eq, isNull } from "drizzle-orm";
import type { KeyActor } from "./api-keys.ts";
import type { Sessions } from "./sessions.ts";
import type { UserSealing } from "./user-pii.ts";

export const ERASED_NAME = "Erased customer";
/** `.invalid` is reserved (RFC 2606): no mail can ever reach it. One per account, for the unique index. */
export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;
/** Not an argon2 hash, so no password verifies against it. */
const NO_PASSWORD = "!erased";

/** What other packages remove of an erased customer, inside the erasure's transaction. */
export type ErasureStep = (tx: Db, userId: string, at: Date) => Promise<void>;

interface ErasureDeps {
  database: Database;
  now: () => Date;
  sessions: Sessions;
  sealing: UserSealing;
  ownerOf: (actor: KeyActor) => Promise<string | null>;
  onChanged: (userId: string) => void;
  steps: readonly ErasureStep[];
}

export function createErasure(deps: ErasureDeps) {
  const { database, now, sessions, sealing } = deps;
  const s = database.schema;

  async function erase(userId: string, actorId: string | null): Promise<{ erased: true }> {
    const at = now();
    await database.transaction(async (tx) => {
      // Locked first: a role change, a sign-in or an address save waits until this commits.
      const user = await lockUser(tx, database, userId);
      if (!user) throw new DomainError("not_found", "No such user.", { entity: "user", ids: [userId] });
      if (user.role !== "customer") {
        throw new DomainError(
          "erasure_refused",
          "Only customer accounts are erased; make this account a customer first.",
          {},
        );
      }
      if (user.erasedAt) return;
      await tx
        .update(s.users)
        .set({
          ...sealing.sealUser({ email: erasedEmail(userId), name: ERASED_NAME }),
          passwordHash: NO_PASSWORD,
          emailVerifiedAt: null,
          disabledAt: at,
          erasedAt: at,
          updatedAt: at,
        })
        .where(eq(s.users.id, userId));
      await tx.update(s.sessions).set({ ip: null, userAgent: null }).where(eq(s.sessions.userId, userId));
      await tx.delete(s.accountTokens).where(eq(s.accountTokens.userId, userId));
      await tx
        .update(s.apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(s.apiKeys.createdById, userId), isNull(s.apiKeys.revokedAt)));
      for (const step of deps.steps) await step(tx, userId, at);
      await tx.insert(s.auditEvents).values({ actorId, action: "user.erased", subjectId: userId, createdAt: at });
    });
    deps.onChanged(userId);
    await sessions.revokeAllForUser(userId, "user_erased");
    // Again, now that no session can rotate: one that rotated in between wrote its details back.
    await database.db.update(s.sessions).set({ ip: null, userAgent: null }).where(eq(s.sessions.userId, userId));
    return { erased: true };
  }

  return {
    /** An admin erases a customer; erasing yourself goes through `eraseOwnAccount`. */
    async eraseUser(actor: KeyActor, userId: string) {
      const actorId = await deps.ownerOf(actor);
      if (actorId === userId) {
        throw new DomainError("self_change", "Delete your own account from the account page instead.", {});
      }
      return erase(userId, actorId);
    },

    /** The customer's own request; the caller has checked their password again. */
    eraseOwnAccount: (userId: string) => erase(userId, userId),
  };
}
