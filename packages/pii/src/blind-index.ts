// Sealed values cannot be looked up (each seal of the same address differs), so a column that
// must be found by equality, such as the sign-in e-mail, also stores a blind index: an HMAC of
// the normalised value under PII_INDEX_KEY. It finds equal addresses without revealing them,
// and without the key nobody can test guesses against it.
import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";

/**
 * The one normalisation of an e-mail address, trimmed and lowercased: sign-up, sign-in and
 * every lookup (@cartwheel/auth imports it) and the index below all use it, so an address
 * typed in any case finds its row. emailSchema in @cartwheel/contracts also rejects malformed
 * addresses, which indexing existing rows must not do; test/blind-index.test.ts keeps the two
 * agreeing.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The blind index of an address: base64url HMAC-SHA256 of its normalised form. */
export function emailIndex(indexKey: KeyObject | Uint8Array, email: string): string {
  return createHmac("sha256", indexKey).update(normaliseEmail(email), "utf8").digest("base64url");
}

/** Whether two blind indexes are equal, in time that does not depend on where they differ. */
export function sameIndex(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
