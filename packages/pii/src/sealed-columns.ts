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

const replaced = (rows: unknown[]) => rows.length > 0;

/** Every column that holds sealed values; a new sealed column is added here and to PII_FIELDS. */
export function sealedColumns({ schema: s }: Database): SealedColumn[] {
  const { orders: o, addresses: a, users: u, sessions: se } = s;
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
    {
      field: PII_FIELDS.userName,
      table: u,
      id: u.id,
      value: u.name,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(u)
            .set({ name: to })
            .where(and(eq(u.id, id), eq(u.name, from)))
            .returning({ id: u.id }),
        ),
    },
    {
      // Resealing leaves email_index alone: it is keyed by PII_INDEX_KEY, not by the ring.
      field: PII_FIELDS.userEmail,
      table: u,
      id: u.id,
      value: u.email,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(u)
            .set({ email: to })
            .where(and(eq(u.id, id), eq(u.email, from)))
            .returning({ id: u.id }),
        ),
    },
    {
      field: PII_FIELDS.sessionIp,
      table: se,
      id: se.id,
      value: se.ip,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(se)
            .set({ ip: to })
            .where(and(eq(se.id, id), eq(se.ip, from)))
            .returning({ id: se.id }),
        ),
    },
    {
      field: PII_FIELDS.sessionUserAgent,
      table: se,
      id: se.id,
      value: se.userAgent,
      replace: async (tx, id, from, to) =>
        replaced(
          await tx
            .update(se)
            .set({ userAgent: to })
            .where(and(eq(se.id, id), eq(se.userAgent, from)))
            .returning({ id: se.id }),
        ),
    },
  ];
}
