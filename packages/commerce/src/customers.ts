// Who placed an order and who changed it, read for staff screens in one query per page. Names
// and addresses are sealed at rest (@cartwheel/pii), so they are opened here, once per person.
import type { Database, Db, Role } from "@cartwheel/db";
import { openUserRow, type PiiBox } from "@cartwheel/pii";
import { inArray } from "drizzle-orm";
import type { Customer } from "./order-view.ts";

export interface Person extends Customer {
  role: Role;
}

/** The accounts behind `ids` (duplicates and nulls allowed); an id with no account is absent. */
export async function loadPeople(
  db: Db,
  database: Database,
  pii: PiiBox,
  ids: readonly (string | null)[],
): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const u = database.schema.users;
  const rows = await db
    .select({ id: u.id, name: u.name, email: u.email, role: u.role, erasedAt: u.erasedAt })
    .from(u)
    .where(inArray(u.id, wanted));
  return new Map(
    rows.map(({ erasedAt, ...row }) => {
      const person = openUserRow(pii, row);
      // An erased account's address is a placeholder no mail reaches; show none.
      return [row.id, { ...person, email: erasedAt ? "" : person.email, erased: erasedAt !== null }];
    }),
  );
}
