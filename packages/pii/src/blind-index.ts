// Sealed values cannot be looked up (each seal of the same address differs), so a column that
// must be found by equality, such as the sign-in e-mail, also stores a blind index: an HMAC of
// the normalised value under PII_INDEX_KEY. It finds equal addresses without revealing them,
// and without the key nobody can test guesses against it.
import { createHmac, type KeyObject } from "node:crypto";

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
