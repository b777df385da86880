// Moving every sealed value to the active key (`cartwheel pii rotate`), and the check that says
// when an old key holds nothing any more (`cartwheel pii check`). A value that is not sealed at
// all (a row written before its column was sealed) is sealed on the way, so the same pass is
// the one-off encryption of existing rows.
//
// Safe beside live traffic and safe to stop: rows are taken in id order, a batch at a time, and
// each is rewritten only if it still holds the value read (a live write in between already
// sealed under the active key, and wins). Whatever a stopped run left is found again by the
// next one, since it looks only for values not under the active key.
import type { Database, Db } from "@cartwheel/db";
import { and, asc, type Column, count, eq, gt, isNotNull, type SQL, sql } from "drizzle-orm";
import { PII_FIELDS, type PiiBox, type PiiField } from "./box.ts";
import { keyIdOf, sealedPrefix } from "./seal.ts";

type Schema = Database["schema"];

export interface SealedColumn {
  field: PiiField;
  table: Schema["orders"] | Schema["addresses"];
  id: Schema["orders"]["id"] | Schema["addresses"]["id"];
  value: Schema["orders"]["shippingAddress"] | Schema["addresses"]["address"];
  /** Replaces `from` with `to` in row `id` if it still holds `from`; true when it did. */
  replace(tx: Db, id: string, from: string, to: string): Promise<boolean>;
}

const replaced = (rows: unknown[]) => rows.length > 0;

/** Every column that holds sealed values; a new sealed column is added here and to PII_FIELDS. */
export function sealedColumns({ schema: s }: Database): SealedColumn[] {
  const { orders: o, addresses: a } = s;
  return [
    {
      field: PII_FIELDS.orderShippingAddress,
      table: o,
      id: o.id,
      value: o.shippingAddress,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(o)
            .set({ shippingAddress: to })
            .where(and(eq(o.id, id), eq(o.shippingAddress, from)))
            .returning({ id: o.id }),
        ),
    },
    {
      field: PII_FIELDS.savedAddress,
      table: a,
      id: a.id,
      value: a.address,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(a)
            .set({ address: to })
            .where(and(eq(a.id, id), eq(a.address, from)))
            .returning({ id: a.id }),
        ),
    },
  ];
}

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
}

/**
 * Reseals every value of every sealed column under the box's active key. A value under a key
 * the ring lacks, or one that does not authenticate, stops the run with that PiiError, naming
 * nothing but the field: it needs a person (restore the key, or investigate the row).
 */
export async function rotatePii(
  database: Database,
  box: PiiBox,
  { batchSize = 500, onProgress }: RotationOptions = {},
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
