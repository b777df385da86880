// Users' personal data at rest: the name and e-mail address of an account, and the IP address
// and user agent of each session, are sealed (@cartwheel/pii); the address is found by its blind
// index, email_index, which also carries its uniqueness. Every read and write of these columns
// in this package goes through here, so none of them is stored in the clear by mistake.
import type { KeyObject } from "node:crypto";
import type { Database } from "@cartwheel/db";
import { openUserRow, PII_FIELDS, type PiiBox, sealUserRow, type SealedUserRow, userWithEmail } from "@cartwheel/pii";
import type { SQL } from "drizzle-orm";

/** What sealing users takes: the box (PII_KEYS) and the blind-index key (PII_INDEX_KEY). */
export interface UserSealingDeps {
  pii: PiiBox;
  emailIndexKey: KeyObject;
}

export type UserSealing = ReturnType<typeof createUserSealing>;

export function createUserSealing({ pii, emailIndexKey }: UserSealingDeps, database: Database) {
  const openOptional =
    (field: typeof PII_FIELDS.sessionIp | typeof PII_FIELDS.sessionUserAgent) => (sealed: string | null) =>
      sealed === null ? null : pii.open(field, sealed);
  const openIp = openOptional(PII_FIELDS.sessionIp);
  const openUserAgent = openOptional(PII_FIELDS.sessionUserAgent);

  return {
    sealUser: (user: { email: string; name: string }): SealedUserRow => sealUserRow(pii, emailIndexKey, user),
    /** The condition finding the account of an address, typed in any case (see normaliseEmail). */
    byEmail: (email: string): SQL => userWithEmail(database, emailIndexKey, email),
    openEmail: (sealed: string) => pii.open(PII_FIELDS.userEmail, sealed),
    /** A row with a sealed `email` and `name`, with both opened. */
    openUser: <Row extends { email: string; name: string }>(row: Row): Row => openUserRow(pii, row),
    /** A session's IP and user agent as written; the agent is cut to 512 characters first. */
    sealSessionMeta: (meta: { ip: string; userAgent: string | null }) => ({
      ip: pii.seal(PII_FIELDS.sessionIp, meta.ip),
      userAgent: meta.userAgent === null ? null : pii.seal(PII_FIELDS.sessionUserAgent, meta.userAgent.slice(0, 512)),
    }),
    openSessionMeta: <Row extends { ip: string | null; userAgent: string | null }>(row: Row): Row => ({
      ...row,
      ip: openIp(row.ip),
      userAgent: openUserAgent(row.userAgent),
    }),
  };
}

/**
 * The id of the account with this address, or null: for tests and tools that need a user
 * they know only by e-mail (a sealed address cannot be compared in SQL).
 */
export async function findUserIdByEmail(
  database: Database,
  emailIndexKey: KeyObject,
  email: string,
): Promise<string | null> {
  const u = database.schema.users;
  const [row] = await database.db
    .select({ id: u.id })
    .from(u)
    .where(userWithEmail(database, emailIndexKey, email));
  return row?.id ?? null;
}
