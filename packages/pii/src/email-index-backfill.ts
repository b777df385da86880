// Filling users.email_index for rows written before it existed: the upgrade adds the column
// empty (the server refuses to start until every row has one), and this pass computes each
// from the address, sealed or still plaintext. Like rotation it is safe beside live traffic
// and safe to stop: rows in id order, a batch at a time, each written only if it still holds
// the address read and still lacks an index; a rerun finds whatever is left.
import type { KeyObject } from "node:crypto";
import { type Database, isUniqueViolation } from "@cartwheel/db";
import { and, asc, count, eq, gt, isNull } from "drizzle-orm";
import { emailIndex } from "./blind-index.ts";
import { PII_FIELDS, type PiiBox } from "./box.ts";
import { keyIdOf } from "./seal.ts";

export interface EmailIndexProgress {
  /** Rows given their index so far. */
  indexed: number;
  /** Left alone because a live write changed the row first. */
  skipped: number;
  /**
   * Rows whose address, once normalised, another row already holds: the unique index refuses
   * a second copy, so they stay without one until a person merges or changes them.
   */
  duplicates: string[];
}

export interface EmailIndexOptions {
  batchSize?: number;
  onProgress?: (progress: EmailIndexProgress) => void;
}

/**
 * How many accounts lack an e-mail index (the server refuses to start while any do). A
 * `limit 1` read first, so a large, fully indexed users table costs nothing; counted only when
 * there is something to report.
 */
export async function unindexedUsers(database: Database): Promise<number> {
  const { db, schema } = database;
  const u = schema.users;
  const [any] = await db.select({ id: u.id }).from(u).where(isNull(u.emailIndex)).limit(1);
  if (!any) return 0;
  const [all] = await db.select({ n: count() }).from(u).where(isNull(u.emailIndex));
  return all?.n ?? 1;
}

/**
 * Sets email_index wherever it is null, from the row's e-mail: opened when sealed, taken as
 * it is when plaintext (a row from before sealing). A sealed address that does not open stops
 * the run with the box's PiiError.
 */
export async function backfillEmailIndex(
  database: Database,
  box: PiiBox,
  indexKey: KeyObject,
  { batchSize = 500, onProgress }: EmailIndexOptions = {},
): Promise<EmailIndexProgress> {
  const { db, schema } = database;
  const u = schema.users;
  const progress: EmailIndexProgress = { indexed: 0, skipped: 0, duplicates: [] };
  let after: string | null = null;
  for (;;) {
    const rows = await db
      .select({ id: u.id, email: u.email })
      .from(u)
      .where(and(isNull(u.emailIndex), after === null ? undefined : gt(u.id, after)))
      .orderBy(asc(u.id))
      .limit(batchSize);
    if (rows.length === 0) break;
    // One statement per row, outside a transaction: a duplicate must fail only its own row,
    // and on PostgreSQL a failed statement would abort the rest of a batch's transaction.
    for (const row of rows) {
      const address = keyIdOf(row.email) === null ? row.email : box.open(PII_FIELDS.userEmail, row.email);
      try {
        const written = await db
          .update(u)
          .set({ emailIndex: emailIndex(indexKey, address) })
          .where(and(eq(u.id, row.id), eq(u.email, row.email), isNull(u.emailIndex)))
          .returning({ id: u.id });
        if (written.length > 0) progress.indexed += 1;
        else progress.skipped += 1;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        progress.duplicates.push(row.id);
      }
    }
    after = rows.at(-1)!.id;
    onProgress?.({ ...progress, duplicates: [...progress.duplicates] });
  }
  return progress;
}
