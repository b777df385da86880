import { describe, expect, it } from "vitest";
import {
  generateKeyRingEntry,
  isSealedUnder,
  keyIdOf,
  openOptional,
  openPii,
  parseKeyRing,
  PiiError,
  PiiFormatError,
  PiiIntegrityError,
  PiiKeyUnknownError,
  resealPii,
  sealedPrefix,
  sealOptional,
  sealPii,
} from "../src/index.ts";
import { entries } from "./helpers.ts";

const PURPOSE = "orders.shipping_address";
const ADDRESS = "Ada Lovelace, 12 St James's Square, London SW1Y 4JH";
const ring = parseKeyRing(entries().text);

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/** The sealed value with one bit flipped at `byte` of part `index` (2 nonce, 3 ciphertext, 4 tag). */
function flipped(sealed: string, index: number, byte: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[byte]! ^= 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const tagOf = (sealed: string) => Buffer.from(sealed.split(".")[4]!, "base64url");

/** The value with its tag's last character changed in the bits the decoder ignores. */
function respelledTag(sealed: string): string {
  const last = BASE64URL_ALPHABET.indexOf(sealed.at(-1)!);
  const respelled = `${sealed.slice(0, -1)}${BASE64URL_ALPHABET[last ^ 1]}`;
  expect(tagOf(respelled).equals(tagOf(sealed))).toBe(true);
  return respelled;
}

describe("sealPii and openPii", () => {
  it.each([ADDRESS, "", "Zoë Ångström 🚲", "x".repeat(10_000)])("round-trips %#", (plaintext) => {
    const sealed = sealPii(ring, PURPOSE, plaintext);
    expect(sealed).toMatch(/^pii1\.2026b\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain(plaintext || "\0");
    expect(openPii(ring, PURPOSE, sealed)).toBe(plaintext);
  });

  it("seals the same value differently each time (a fresh nonce per value)", () => {
    const first = sealPii(ring, PURPOSE, ADDRESS);
    const second = sealPii(ring, PURPOSE, ADDRESS);
    expect(first).not.toBe(second);
    expect(first.split(".")[2]).not.toBe(second.split(".")[2]);
    expect(openPii(ring, PURPOSE, second)).toBe(openPii(ring, PURPOSE, first));
  });

  it("does not open a value copied into another column", () => {
    const sealed = sealPii(ring, "users.name", "Ada Lovelace");
    const error = thrown(() => openPii(ring, "users.email", sealed));
    expect(error).toBeInstanceOf(PiiIntegrityError);
    expect(error).toBeInstanceOf(PiiError);
    expect((error as Error).message).toBe(
      'PII value for "users.email" does not authenticate: tampered, or sealed for another field',
    );
    expect((error as Error).message).not.toContain("Ada");
  });

  it("refuses every single flipped bit in the nonce, ciphertext and tag instead of returning garbage", () => {
    const sealed = sealPii(ring, PURPOSE, ADDRESS);
    let checked = 0;
    for (const [index, length] of [
      [2, 12],
      [3, Buffer.byteLength(ADDRESS)],
      [4, 16],
    ] as const) {
      for (let byte = 0; byte < length; byte++) {
        expect(() => openPii(ring, PURPOSE, flipped(sealed, index, byte))).toThrow(PiiIntegrityError);
        checked++;
      }
    }
    expect(checked).toBe(28 + Buffer.byteLength(ADDRESS));
  });

  it("refuses a value whose key id was changed to another key in the ring", () => {
    const sealed = sealPii(ring, PURPOSE, ADDRESS);
    expect(() => openPii(ring, PURPOSE, sealed.replace(".2026b.", ".2026a."))).toThrow(PiiIntegrityError);
  });

  it("names the key id PII_KEYS lacks", () => {
    const other = parseKeyRing(generateKeyRingEntry("2025x"));
    const error = thrown(() => openPii(ring, PURPOSE, sealPii(other, PURPOSE, ADDRESS)));
    expect(error).toBeInstanceOf(PiiKeyUnknownError);
    expect(error).toBeInstanceOf(PiiError);
    expect((error as PiiKeyUnknownError).keyId).toBe("2025x");
    expect((error as Error).message).toMatch(/"2025x", which PII_KEYS lacks/);
  });

  it.each([
    ["plaintext", ADDRESS],
    ["an empty string", ""],
    ["another version", sealPii(ring, PURPOSE, ADDRESS).replace(/^pii1/, "pii2")],
    ["a missing part", sealPii(ring, PURPOSE, ADDRESS).split(".").slice(0, 4).join(".")],
    ["an extra part", `${sealPii(ring, PURPOSE, ADDRESS)}.AA`],
    ["a short nonce", sealPii(ring, PURPOSE, ADDRESS).replace(/^(pii1\.2026b\.)[^.]{4}/, "$1")],
    ["a padded tag", `${sealPii(ring, PURPOSE, ADDRESS)}==`],
    ["a tag spelled non-canonically (same bytes)", respelledTag(sealPii(ring, PURPOSE, ADDRESS))],
    ["a bad key id", sealPii(ring, PURPOSE, ADDRESS).replace(".2026b.", ".20 26b.")],
  ])("reports %s as PiiFormatError without echoing it", (_, value) => {
    const error = thrown(() => openPii(ring, PURPOSE, value));
    expect(error).toBeInstanceOf(PiiFormatError);
    expect(error).toBeInstanceOf(PiiError);
    expect((error as Error).message).toBe("not a pii1 sealed value");
    expect(keyIdOf(value)).toBeNull();
  });
});

describe("key ids and resealing", () => {
  const { active, old } = entries();
  const before = parseKeyRing(`${old.replace(/$/, ":active")},${active.replace(/:active$/, "")}`);
  const after = parseKeyRing(`${active},${old}`);
  const withoutOld = parseKeyRing(active);

  it("reads the key id out of a value and finds it by prefix", () => {
    const sealed = sealPii(before, PURPOSE, ADDRESS);
    expect(keyIdOf(sealed)).toBe("2026a");
    expect(isSealedUnder(sealed, "2026a")).toBe(true);
    expect(isSealedUnder(sealed, "2026b")).toBe(false);
    expect(sealed.startsWith(sealedPrefix("2026a"))).toBe(true);
    expect(isSealedUnder(ADDRESS, "2026a")).toBe(false);
  });

  it("moves a value to the active key; old values open while the old key stays in the ring", () => {
    const underOld = sealPii(before, PURPOSE, ADDRESS);
    expect(openPii(after, PURPOSE, underOld)).toBe(ADDRESS);
    const resealed = resealPii(after, PURPOSE, underOld);
    expect(keyIdOf(resealed)).toBe("2026b");
    expect(openPii(withoutOld, PURPOSE, resealed)).toBe(ADDRESS);
    expect(() => openPii(withoutOld, PURPOSE, underOld)).toThrow(PiiKeyUnknownError);
  });

  it("returns a value already under the active key unchanged", () => {
    const sealed = sealPii(after, PURPOSE, ADDRESS);
    expect(resealPii(after, PURPOSE, sealed)).toBe(sealed);
  });

  it("refuses to reseal a value that does not open for the purpose", () => {
    const underOld = sealPii(before, "users.name", ADDRESS);
    expect(() => resealPii(after, PURPOSE, underOld)).toThrow(PiiIntegrityError);
    expect(() => resealPii(after, PURPOSE, ADDRESS)).toThrow(PiiFormatError);
  });
});

describe("sealOptional and openOptional", () => {
  it("pass null and undefined through and seal strings", () => {
    expect(sealOptional(ring, PURPOSE, null)).toBeNull();
    expect(sealOptional(ring, PURPOSE, undefined)).toBeUndefined();
    expect(openOptional(ring, PURPOSE, null)).toBeNull();
    expect(openOptional(ring, PURPOSE, undefined)).toBeUndefined();
    const sealed = sealOptional(ring, PURPOSE, ADDRESS as string | null);
    expect(keyIdOf(sealed!)).toBe("2026b");
    expect(openOptional(ring, PURPOSE, sealed)).toBe(ADDRESS);
  });
});
