// How an account's name and address are stored: both sealed, and the address's blind index
// beside them. @cartwheel/auth writes users through this, and so do tests and tools that put
// accounts in a database directly, so every writer agrees on it.
import type { KeyObject } from "node:crypto";
import type { Database } from "@cartwheel/db";
import { eq, type SQL } from "drizzle-orm";
import { emailIndex } from "./blind-index.ts";
import { PII_FIELDS, type PiiBox } from "./box.ts";

export interface SealedUserRow {
  email: string;
  emailIndex: string;
  name: string;
}

/** `email` as the account holds it (normalised by the caller); the index normalises again, harmlessly. */
export function sealUserRow(box: PiiBox, indexKey: KeyObject, user: { email: string; name: string }): SealedUserRow {
  return {
    email: box.seal(PII_FIELDS.userEmail, user.email),
    emailIndex: emailIndex(indexKey, user.email),
    name: box.seal(PII_FIELDS.userName, user.name),
  };
}

/** A row with a sealed `email` and `name`, both opened; the box's PiiError when one does not open. */
export function openUserRow<Row extends { email: string; name: string }>(box: PiiBox, row: Row): Row {
  return { ...row, email: box.open(PII_FIELDS.userEmail, row.email), name: box.open(PII_FIELDS.userName, row.name) };
}

/**
 * The condition finding the account of an address, typed in any case: the only way to look a
 * user up by e-mail, since the sealed column itself differs per write.
 */
export function userWithEmail(database: Database, indexKey: KeyObject, email: string): SQL {
  return eq(database.schema.users.emailIndex, emailIndex(indexKey, email));
}
