// Personal data at rest: AES-256-GCM under the ring's active key, a random 12-byte nonce per
// value and the purpose (e.g. "orders.shipping_address") as associated data, so a ciphertext
// copied into another column does not open. A value reads
//
//   pii1.<keyId>.<base64url nonce>.<base64url ciphertext>.<base64url tag>
//
// The key id stays readable so a rotation can find the values still under an old key in SQL
// (see sealedPrefix) without opening every row.
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from "node:crypto";
import { PiiFormatError, PiiIntegrityError, PiiKeyUnknownError } from "./errors.ts";
import { KEY_ID_PATTERN, type PiiKeyRing } from "./key-ring.ts";

const VERSION = "pii1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function sealPii(ring: PiiKeyRing, purpose: string, plaintext: string): string {
  const keyId = ring.activeKeyId;
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", requireKey(ring, keyId), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, keyId, encode(nonce), encode(ciphertext), encode(cipher.getAuthTag())].join(".");
}

/**
 * The plaintext of a value sealed for `purpose`. Throws PiiFormatError for anything but a pii1
 * value, PiiKeyUnknownError when the ring lacks its key, PiiIntegrityError when GCM rejects it.
 */
export function openPii(ring: PiiKeyRing, purpose: string, sealed: string): string {
  const parts = parse(sealed);
  if (!parts) throw new PiiFormatError();
  const decipher = createDecipheriv("aes-256-gcm", requireKey(ring, parts.keyId), parts.nonce, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(purpose, "utf8"));
  decipher.setAuthTag(parts.tag);
  const plaintext = decipher.update(parts.ciphertext);
  try {
    // GCM checks the tag only here; nothing decrypted above leaves this function before it passes.
    return Buffer.concat([plaintext, decipher.final()]).toString("utf8");
  } catch {
    throw new PiiIntegrityError(purpose);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The value sealed under the active key: opened and sealed afresh when it is under another
 * key, returned unchanged (and unopened) when it already is under the active one.
 */
export function resealPii(ring: PiiKeyRing, purpose: string, sealed: string): string {
  if (isSealedUnder(sealed, ring.activeKeyId)) return sealed;
  return sealPii(ring, purpose, openPii(ring, purpose, sealed));
}

/** sealPii, passing null and undefined through, for nullable columns. */
export function sealOptional<Absent extends null | undefined>(
  ring: PiiKeyRing,
  purpose: string,
  plaintext: string | Absent,
): string | Absent {
  return typeof plaintext === "string" ? sealPii(ring, purpose, plaintext) : plaintext;
}

/** openPii, passing null and undefined through, for nullable columns. */
export function openOptional<Absent extends null | undefined>(
  ring: PiiKeyRing,
  purpose: string,
  sealed: string | Absent,
): string | Absent {
  return typeof sealed === "string" ? openPii(ring, purpose, sealed) : sealed;
}

/** The key id of a well-formed pii1 value, or null for anything else (such as plaintext). */
export function keyIdOf(sealed: string): string | null {
  return parse(sealed)?.keyId ?? null;
}

export function isSealedUnder(sealed: string, keyId: string): boolean {
  return keyIdOf(sealed) === keyId;
}

/**
 * What every value sealed under `keyId` starts with, for finding them in SQL. Key ids may hold
 * `_`, a LIKE wildcard, so escape it: `LIKE 'pii1.k\_1.%' ESCAPE '\'` (or compare a substring).
 */
export function sealedPrefix(keyId: string): string {
  return `${VERSION}.${keyId}.`;
}

interface SealedParts {
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string): SealedParts | null {
  const [version, keyId, nonce, ciphertext, tag, ...rest] = sealed.split(".");
  if (version !== VERSION || keyId === undefined || !KEY_ID_PATTERN.test(keyId) || rest.length > 0) return null;
  const nonceBytes = decode(nonce);
  const body = decode(ciphertext);
  const tagBytes = decode(tag);
  if (nonceBytes?.length !== NONCE_BYTES || tagBytes?.length !== TAG_BYTES || !body) return null;
  return { keyId, nonce: nonceBytes, ciphertext: body, tag: tagBytes };
}

function requireKey(ring: PiiKeyRing, keyId: string): KeyObject {
  const key = ring.keyFor(keyId);
  if (!key) throw new PiiKeyUnknownError(keyId);
  return key;
}

const encode = (bytes: Buffer) => bytes.toString("base64url");

// Only the canonical encoding decodes, so one value has one spelling and an edited character
// can never be silently ignored by the lenient base64 decoder.
function decode(text: string | undefined): Buffer | null {
  if (text === undefined || !BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return encode(bytes) === text ? bytes : null;
}
