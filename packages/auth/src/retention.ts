// How long ended credentials are kept: long enough to answer "was this session mine?" in the
// account page and in an investigation, then deleted. Refresh tokens go with their session
// (foreign key, on delete cascade); live sessions and unused, unexpired tokens are never touched.
import type { Database } from "@cartwheel/db";
import { and, inArray, isNotNull, lt, or, type SQL } from "drizzle-orm";

export const DEFAULT_CREDENTIAL_RETENTION_DAYS = 30;
/** Rows one delete statement removes: short statements keep locks short beside live traffic. */
export const PURGE_BATCH = 500;

export interface PurgedCredentials {
  sessions: number;
  accountTokens: number;
}

/**
 * Deletes sessions that ended (revoked, idle-expired or past their absolute lifetime) and
 * account tokens that were used or expired, more than `retentionDays` ago.
 */
export async function purgeEndedCredentials(
  deps: { database: Database; now: () => Date },
  retentionDays = DEFAULT_CREDENTIAL_RETENTION_DAYS,
): Promise<PurgedCredentials> {
  const { db, schema: s } = deps.database;
  const cutoff = new Date(deps.now().getTime() - retentionDays * 24 * 60 * 60 * 1000);

  async function inBatches(table: typeof s.sessions | typeof s.accountTokens, ended: SQL | undefined) {
    let deleted = 0;
    for (;;) {
      const ids = await db.select({ id: table.id }).from(table).where(ended).limit(PURGE_BATCH);
      if (ids.length === 0) return deleted;
      const gone = await db
        .delete(table)
        .where(
          inArray(
            table.id,
            ids.map((row) => row.id),
          ),
        )
        .returning({ id: table.id });
      deleted += gone.length;
      if (ids.length < PURGE_BATCH) return deleted;
    }
  }

  const sessions = await inBatches(
    s.sessions,
    or(
      and(isNotNull(s.sessions.revokedAt), lt(s.sessions.revokedAt, cutoff)),
      lt(s.sessions.expiresAt, cutoff),
      lt(s.sessions.absoluteExpiresAt, cutoff),
    ),
  );
  const accountTokens = await inBatches(
    s.accountTokens,
    or(
      and(isNotNull(s.accountTokens.usedAt), lt(s.accountTokens.usedAt, cutoff)),
      lt(s.accountTokens.expiresAt, cutoff),
    ),
  );
  return { sessions, accountTokens };
}
