// Secrets for refresh tokens and API keys. They are long random strings, so a fast hash
// (SHA-256) is enough at rest: there is nothing to brute-force, unlike a password.
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

const utf8 = new TextEncoder();
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 20 bytes = 160 bits from the CSPRNG, well above the 120 bits a token needs. */
export function generateSecret(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(utf8.encode(secret)));
}

/** Compares digests in constant time, so response timing says nothing about the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return constantTimeEqual(sha256(utf8.encode(secret)), decodeHex(storedHash));
}

/**
 * Splits `<id>.<secret>`. The id is checked to be a UUID here so that garbage never
 * reaches a PostgreSQL uuid column (which would raise instead of finding nothing).
 */
export function splitToken(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!uuidPattern.test(id) || secret.length < 24 || secret.length > 64) return null;
  return { id, secret };
}
