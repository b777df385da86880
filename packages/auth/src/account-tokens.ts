// Single-use tokens mailed to an account's owner: password reset links and e-mail verification
// links. A token is `<id>.<secret>`, like a refresh token; only a hash of the secret is stored.
//
// The secret is derived, not drawn: HMAC(key, purpose:id), with the id given by the caller (the
// id of the event that asked for the mail). A mail job that runs twice, which at-least-once
// delivery allows, therefore issues the same token twice and mails the same link, instead of
// two live links.
import { createHmac } from "node:crypto";
import type { AccountTokenPurpose, Database, Db } from "@cartwheel/db";
import { DomainError, PASSWORD_RESET_TTL_MINUTES } from "@cartwheel/contracts";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { hashSecret, secretMatches, splitToken } from "./crypto.ts";

/** How long a mailed link works. */
export const ACCOUNT_TOKEN_TTL_SECONDS: Record<AccountTokenPurpose, number> = {
  password_reset: PASSWORD_RESET_TTL_MINUTES * 60,
  email_verification: 7 * 24 * 60 * 60,
};

export const invalidAccountToken = () =>
  new DomainError("invalid_account_token", "This link is not valid any more. Ask for a new one.", {});

interface AccountTokenDeps {
  database: Database;
  now: () => Date;
  /** AUTH_SECRET; a key for tokens only is derived from it. */
  secret: Uint8Array;
}

export interface RedeemedToken {
  tokenId: string;
  userId: string;
}

export function createAccountTokens({ database, now, secret }: AccountTokenDeps) {
  const { schema: s } = database;
  const key = createHmac("sha256", secret).update("cartwheel account tokens v1").digest();
  const secretFor = (purpose: AccountTokenPurpose, id: string) =>
    encodeBase32LowerCaseNoPadding(createHmac("sha256", key).update(`${purpose}:${id}`).digest().subarray(0, 20));

  /** The live, unexpired row a token names, if its secret matches (compared in constant time). */
  async function find(db: Db, purpose: AccountTokenPurpose, token: string) {
    const parts = splitToken(token);
    if (!parts) return null;
    const [row] = await db
      .select({ userId: s.accountTokens.userId, secretHash: s.accountTokens.secretHash })
      .from(s.accountTokens)
      .where(
        and(
          eq(s.accountTokens.id, parts.id),
          eq(s.accountTokens.purpose, purpose),
          isNull(s.accountTokens.usedAt),
          gt(s.accountTokens.expiresAt, now()),
        ),
      )
      .limit(1);
    if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
    return { tokenId: parts.id, userId: row.userId };
  }

  return {
    /**
     * The token for `id` (a UUID, e.g. the id of the event asking for the mail). Issuing the
     * same id again returns the same token and keeps the first expiry.
     */
    async issue(input: { purpose: AccountTokenPurpose; userId: string; id: string }): Promise<string> {
      const tokenSecret = secretFor(input.purpose, input.id);
      const at = now();
      await database.db
        .insert(s.accountTokens)
        .values({
          id: input.id,
          userId: input.userId,
          purpose: input.purpose,
          secretHash: hashSecret(tokenSecret),
          createdAt: at,
          expiresAt: new Date(at.getTime() + ACCOUNT_TOKEN_TTL_SECONDS[input.purpose] * 1000),
        })
        .onConflictDoNothing({ target: s.accountTokens.id });
      return `${input.id}.${tokenSecret}`;
    },

    /** Whom a token is for, without using it up; null when it is unknown, used or expired. */
    peek: (purpose: AccountTokenPurpose, token: string) => find(database.db, purpose, token),

    /**
     * Uses a token up inside `tx`, with every other live token of the same purpose for the
     * same account: one link works once, and the newest one does not leave older ones alive.
     * Of two concurrent redemptions only one wins; the other gets invalid_account_token.
     */
    async redeem(tx: Db, purpose: AccountTokenPurpose, token: string): Promise<RedeemedToken> {
      const found = await find(tx, purpose, token);
      if (!found) throw invalidAccountToken();
      const at = now();
      const claimed = await tx
        .update(s.accountTokens)
        .set({ usedAt: at })
        .where(and(eq(s.accountTokens.id, found.tokenId), isNull(s.accountTokens.usedAt)))
        .returning({ id: s.accountTokens.id });
      if (claimed.length === 0) throw invalidAccountToken();
      await tx
        .update(s.accountTokens)
        .set({ usedAt: at })
        .where(
          and(
            eq(s.accountTokens.userId, found.userId),
            eq(s.accountTokens.purpose, purpose),
            ne(s.accountTokens.id, found.tokenId),
            isNull(s.accountTokens.usedAt),
          ),
        );
      return found;
    },
  };
}

export type AccountTokens = ReturnType<typeof createAccountTokens>;
