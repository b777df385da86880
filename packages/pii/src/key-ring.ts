// The keys PII is sealed under, read from PII_KEYS. Several keys can be held at once so that a
// rotation can add a new key, reseal values to it at its own pace and only then drop the old
// one: exactly one key is active (new values are sealed under it), the rest only open values.
//
// The keys live in KeyObjects inside a private field, and the ring prints as its ids only, so
// logging the ring, the config holding it or an error about it leaks no key bytes.
import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { inspect } from "node:util";
import { PiiConfigError } from "./errors.ts";

/** AES-256 and HMAC-SHA256 both take 32-byte keys. */
export const PII_KEY_BYTES = 32;

/** Key ids appear inside sealed values, so they hold no `.` (the separator) and stay short. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
// Either alphabet (openssl prints base64, Node prints base64url just as easily), padding optional.
const BASE64_OR_BASE64URL = /^[A-Za-z0-9+/_-]+={0,2}$/;
const ENTRY_SHAPE = "<keyId>:<base64 key>, the active one suffixed :active";

export interface PiiKeyRing {
  /** The key new values are sealed under. */
  readonly activeKeyId: string;
  /** Every key id, in PII_KEYS order. */
  readonly keyIds: readonly string[];
  has(keyId: string): boolean;
  /** The key for `keyId`, or undefined when the ring lacks it. */
  keyFor(keyId: string): KeyObject | undefined;
}

class KeyRing implements PiiKeyRing {
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly activeKeyId: string;
  readonly keyIds: readonly string[];

  constructor(keys: ReadonlyMap<string, KeyObject>, activeKeyId: string) {
    this.#keys = keys;
    this.activeKeyId = activeKeyId;
    this.keyIds = Object.freeze([...keys.keys()]);
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  keyFor(keyId: string): KeyObject | undefined {
    return this.#keys.get(keyId);
  }

  toJSON(): { activeKeyId: string; keyIds: readonly string[] } {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `PiiKeyRing ${inspect(this.toJSON())}`;
  }
}

/** Parses PII_KEYS, e.g. `2026b:<32 bytes base64>:active,2026a:<32 bytes base64>`. */
export function parseKeyRing(text: string): PiiKeyRing {
  if (text.trim() === "") throw new PiiConfigError(`PII_KEYS is empty: expected ${ENTRY_SHAPE}`);
  const keys = new Map<string, KeyObject>();
  const entryOf = new Map<string, number>();
  const active: string[] = [];
  for (const [index, raw] of text.split(",").entries()) {
    const n = index + 1;
    const entry = raw.trim();
    if (entry === "") throw new PiiConfigError(`PII_KEYS entry ${n} is empty (a stray comma?)`);
    const [keyId = "", encoded = "", suffix, ...rest] = entry.split(":");
    // The parts are not echoed here: a misplaced part may be the key itself.
    if (rest.length > 0 || encoded === "") throw new PiiConfigError(`PII_KEYS entry ${n}: expected ${ENTRY_SHAPE}`);
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw new PiiConfigError(`PII_KEYS entry ${n}: the key id must be 1-32 characters of A-Z a-z 0-9 _ -`);
    }
    const label = `PII_KEYS entry ${n} ("${keyId}")`;
    if (suffix !== undefined && suffix !== "active") {
      throw new PiiConfigError(`${label}: the only suffix allowed after the key is :active`);
    }
    const earlier = entryOf.get(keyId);
    if (earlier !== undefined) throw new PiiConfigError(`${label}: the key id is already used by entry ${earlier}`);
    keys.set(keyId, keyObjectFrom(encoded, label));
    entryOf.set(keyId, n);
    if (suffix === "active") active.push(keyId);
  }
  if (active.length !== 1) {
    const marked = active.length === 0 ? "no entry" : `${active.length} entries (${active.join(", ")})`;
    throw new PiiConfigError(`PII_KEYS marks ${marked} :active; mark exactly one, the key new values are sealed under`);
  }
  return new KeyRing(keys, active[0]!);
}

/** Parses PII_INDEX_KEY, the 32-byte HMAC key of the blind indexes (base64 or base64url). */
export function parseIndexKey(text: string): KeyObject {
  if (text.trim() === "") throw new PiiConfigError("PII_INDEX_KEY is empty: expected 32 bytes in base64");
  return keyObjectFrom(text.trim(), "PII_INDEX_KEY");
}

/**
 * A fresh PII_KEYS entry, `<keyId>:<32 random bytes base64url>` plus `:active` unless told
 * otherwise. Rotation: put it in front of PII_KEYS and drop `:active` from the old entry.
 */
export function generateKeyRingEntry(keyId: string, { active = true }: { active?: boolean } = {}): string {
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new PiiConfigError(`key id ${JSON.stringify(keyId)} must be 1-32 characters of A-Z a-z 0-9 _ -`);
  }
  return `${keyId}:${randomBytes(PII_KEY_BYTES).toString("base64url")}${active ? ":active" : ""}`;
}

/** A fresh PII_INDEX_KEY value. */
export function generateIndexKey(): string {
  return randomBytes(PII_KEY_BYTES).toString("base64url");
}

function keyObjectFrom(encoded: string, label: string): KeyObject {
  if (!BASE64_OR_BASE64URL.test(encoded)) throw new PiiConfigError(`${label}: the key is not base64 or base64url`);
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.length !== PII_KEY_BYTES) {
    throw new PiiConfigError(`${label}: the key must be ${PII_KEY_BYTES} bytes, got ${bytes.length}`);
  }
  const key = createSecretKey(bytes);
  // createSecretKey copied the bytes; the decoded copy need not linger on the heap.
  bytes.fill(0);
  return key;
}
