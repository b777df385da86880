// Moving every sealed value to the active key (`cartwheel pii rotate`), and the check that says
// when an old key holds nothing any more (`cartwheel pii check`). A value that is not sealed at
// all (a row written before its column was sealed) is sealed on the way, so the same pass is
// the one-off encryption of existing rows.
//
// Safe beside live traffic and safe to stop: rows are taken in id order, a batch at a time, and
// each is rewritten only if it still holds the value read (a live write in between already
// sealed under the active key, and wins). Whatever a stopped run left is found again by the
// next one, since it looks only for values not under the active key.
//
// Given the index key, it then fills users.email_index where it is missing (the upgrade to a
// sealed e-mail): after the sealing pass, so every address it reads is sealed already.
import type { KeyObject } from "node:crypto";
import type { Database, Db } from "@cartwheel/db";
import { and, asc, type Column, count, gt, isNotNull, type SQL, sql } from "drizzle-orm";
import type { PiiBox, PiiField } from "./box.ts";
import { backfillEmailIndex, type EmailIndexProgress } from "./email-index-backfill.ts";
import { PiiDuplicateEmailError } from "./errors.ts";
import { keyIdOf, sealedPrefix } from "./seal.ts";
import { type SealedColumn, sealedColumns } from "./sealed-columns.ts";

/** Values of `column` not under `keyId`: a substring comparison, since key ids may hold LIKE wildcards. */
function notUnder(column: Column, keyId: string): SQL {
  const prefix = sealedPrefix(keyId);
  return sql`substr(${column}, 1, ${sql.raw(String(prefix.length))}) <> ${prefix}`;
}

export interface RotationProgress {
  field: PiiField;
  /** Rewritten under the active key so far (sealed afresh, or sealed for the first time). */
  resealed: number;
  /** Left alone because a live write changed them first. */
  skipped: number;
}

export interface RotationOptions {
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
  /** PII_INDEX_KEY: given, users lacking an e-mail index get one once every value is sealed. */
  indexKey?: KeyObject;
  onEmailIndexProgress?: (progress: EmailIndexProgress) => void;
}

/**
 * Reseals every value of every sealed column under the box's active key, then (given
 * `indexKey`) fills the missing e-mail indexes. A value under a key the ring lacks, or one
 * that does not authenticate, stops the run with that PiiError, naming nothing but the field:
 * it needs a person (restore the key, or investigate the row). So do accounts whose addresses
 * collide once normalised (PiiDuplicateEmailError, after the pass has indexed the rest).
 */
export async function rotatePii(
  database: Database,
  box: PiiBox,
  { batchSize = 500, onProgress, indexKey, onEmailIndexProgress }: RotationOptions = {},
): Promise<RotationProgress[]> {
  const results: RotationProgress[] = [];
  for (const column of sealedColumns(database)) {
    const progress: RotationProgress = { field: column.field, resealed: 0, skipped: 0 };
    let after: string | null = null;
    for (;;) {
      const rows = await pendingBatch(database.db, column, box.activeKeyId, after, batchSize);
      if (rows.length === 0) break;
      await database.transaction(async (tx) => {
        for (const row of rows) {
          const next =
            keyIdOf(row.value) === null ? box.seal(column.field, row.value) : box.reseal(column.field, row.value);
          if (await column.replace(tx, row.id, row.value, next)) progress.resealed += 1;
          else progress.skipped += 1;
        }
      });
      after = rows.at(-1)!.id;
      onProgress?.({ ...progress });
    }
    results.push(progress);
  }
  if (indexKey) {
    const indexed = await backfillEmailIndex(database, box, indexKey, { batchSize, onProgress: onEmailIndexProgress });
    if (indexed.duplicates.length > 0) throw new PiiDuplicateEmailError(indexed.duplicates);
  }
  return results;
}

async function pendingBatch(db: Db, column: SealedColumn, activeKeyId: string, after: string | null, limit: number) {
  const conditions = [isNotNull(column.value), notUnder(column.value, activeKeyId)];
  if (after !== null) conditions.push(gt(column.id, after));
  const rows = await db
    .select({ id: column.id, value: column.value })
    .from(column.table)
    .where(and(...conditions))
    .orderBy(asc(column.id))
    .limit(limit);
  return rows as { id: string; value: string }[];
}

export interface KeyUsage {
  field: PiiField;
  /** Non-null values per key id; `(plaintext)` counts values not sealed at all. */
  byKey: Record<string, number>;
}

export const PLAINTEXT = "(plaintext)";

/** How many values of each sealed column are under each key id, plaintext counted apart. */
export async function piiKeyUsage(database: Database, keyIds: readonly string[]): Promise<KeyUsage[]> {
  const usage: KeyUsage[] = [];
  for (const column of sealedColumns(database)) {
    const byKey: Record<string, number> = {};
    const [all] = await database.db.select({ n: count() }).from(column.table).where(isNotNull(column.value));
    let accounted = 0;
    for (const keyId of keyIds) {
      const prefix = sealedPrefix(keyId);
      const [under] = await database.db
        .select({ n: count() })
        .from(column.table)
        .where(sql`substr(${column.value}, 1, ${sql.raw(String(prefix.length))}) = ${prefix}`);
      byKey[keyId] = under?.n ?? 0;
      accounted += byKey[keyId];
    }
    const [unsealed] = await database.db
      .select({ n: count() })
      .from(column.table)
      .where(sql`substr(${column.value}, 1, 5) <> 'pii1.'`);
    if ((unsealed?.n ?? 0) > 0) byKey[PLAINTEXT] = unsealed!.n;
    accounted += unsealed?.n ?? 0;
    // Sealed under a key id the ring does not list: reported so nobody drops a key still in use.
    const other = (all?.n ?? 0) - accounted;
    if (other > 0) byKey["(unknown key)"] = other;
    usage.push({ field: column.field, byKey });
  }
  return usage;
}
