// The registry of columns holding sealed values, as rotation walks them. Each entry carries a
// typed conditional `replace`, so a rotation rewrites a value only while the row still holds
// the one it read: a live write in between wins (see rotation.ts).
import type { Database, Db } from "@cartwheel/db";
import { and, eq } from "drizzle-orm";
import { PII_FIELDS, type PiiField } from "./box.ts";

type Schema = Database["schema"];
type SealedTable = Schema["orders"] | Schema["addresses"] | Schema["users"] | Schema["sessions"];

export interface SealedColumn {
  field: PiiField;
  table: SealedTable;
  id: SealedTable["id"];
  value:
    | Schema["orders"]["shippingAddress"]
    | Schema["addresses"]["address"]
    | Schema["users"]["name"]
    | Schema["users"]["email"]
    | Schema["sessions"]["ip"]
    | Schema["sessions"]["userAgent"];
  /** Replaces `from` with `to` in row `id` if it still holds `from`; true when it did. */
  replace(tx: Db, id: string, from: string, to: string): Promise<boolean>;
}

type ValueOf<T extends SealedTable> = {
  [K in keyof T]: T[K] extends SealedColumn["value"] ? K : never;
}[keyof T] &
  string;

/** One sealed column of `table`, named by its property (`shippingAddress`, `userAgent`, …). */
function column<T extends SealedTable>(field: PiiField, table: T, key: ValueOf<T>): SealedColumn {
  const value = table[key] as SealedColumn["value"];
  const { id } = table;
  return {
    field,
    table,
    id,
    value,
    async replace(tx, rowId, from, to) {
      // The property is one of `table`'s sealed text columns (ValueOf), so setting it is sound;
      // drizzle cannot see that through a generic key, hence the one cast.
      const rows = await tx
        .update(table)
        .set({ [key]: to } as never)
        .where(and(eq(id, rowId), eq(value, from)))
        .returning({ id });
      return rows.length > 0;
    },
  };
}

/** Every column that holds sealed values; a new sealed column is added here and to PII_FIELDS. */
export function sealedColumns({ schema: s }: Database): SealedColumn[] {
  return [
    column(PII_FIELDS.orderShippingAddress, s.orders, "shippingAddress"),
    column(PII_FIELDS.savedAddress, s.addresses, "address"),
    column(PII_FIELDS.userName, s.users, "name"),
    // Resealing leaves email_index alone: it is keyed by PII_INDEX_KEY, not by the ring.
    column(PII_FIELDS.userEmail, s.users, "email"),
    column(PII_FIELDS.sessionIp, s.sessions, "ip"),
    column(PII_FIELDS.sessionUserAgent, s.sessions, "userAgent"),
  ];
}
