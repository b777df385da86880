import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { generateKeyRingEntry, parseIndexKey, parseKeyRing, PiiConfigError, PiiError } from "../src/index.ts";
import { entries, keyOf } from "./helpers.ts";

/** Every spelling of the key bytes that could turn up in a message or a log line. */
function spellings(base64url: string): string[] {
  const bytes = Buffer.from(base64url, "base64url");
  return [base64url, bytes.toString("base64"), bytes.toString("hex"), base64url.slice(0, 12)];
}

function configError(text: string, parse: (text: string) => unknown = parseKeyRing): PiiConfigError {
  let thrown: unknown;
  try {
    parse(text);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PiiConfigError);
  expect(thrown).toBeInstanceOf(PiiError);
  return thrown as PiiConfigError;
}

describe("parseKeyRing", () => {
  it("reads the active key, every key id in order, and hands out keys by id", () => {
    const { text } = entries();
    const ring = parseKeyRing(` ${text.replace(",", " , ")} `);
    expect(ring.activeKeyId).toBe("2026b");
    expect(ring.keyIds).toEqual(["2026b", "2026a"]);
    expect(ring.has("2026a")).toBe(true);
    expect(ring.has("2025z")).toBe(false);
    expect(ring.keyFor("2026a")?.symmetricKeySize).toBe(32);
    expect(ring.keyFor("2025z")).toBeUndefined();
  });

  it("accepts padded base64 (openssl rand -base64 32) as well as base64url", () => {
    const key = randomBytes(32);
    const ring = parseKeyRing(`a:${key.toString("base64")}:active,b:${key.toString("base64url")}`);
    expect(ring.keyFor("a")!.export().equals(key)).toBe(true);
    expect(ring.keyFor("b")!.export().equals(key)).toBe(true);
  });

  const key = keyOf(generateKeyRingEntry("x"));
  const short = randomBytes(16).toString("base64");
  const cases: [string, string, RegExp][] = [
    ["empty", "  ", /^PII_KEYS is empty/],
    ["no active entry", `k1:${key},k2:${key}`, /marks no entry :active; mark exactly one/],
    ["two active entries", `k1:${key}:active,k2:${key}:active`, /marks 2 entries \(k1, k2\) :active/],
    [
      "a duplicate id",
      `k1:${key}:active,k1:${key}`,
      /^PII_KEYS entry 2 \("k1"\): the key id is already used by entry 1$/,
    ],
    ["a 16-byte key", `k0:${key}:active,k1:${short}`, /^PII_KEYS entry 2 \("k1"\): the key must be 32 bytes, got 16$/],
    ["a key that is not base64", `k1:${key.slice(0, 40)}!!!:active`, /entry 1 \("k1"\): the key is not base64/],
    ["an id with a dot", `k.1:${key}:active`, /^PII_KEYS entry 1: the key id must be 1-32 characters/],
    ["an id of 33 characters", `${"k".repeat(33)}:${key}:active`, /entry 1: the key id must be 1-32/],
    ["a key without an id", `${key}:active`, /^PII_KEYS entry 1: the key id must be/],
    ["a key after :active", `k1:active:${key}`, /entry 1 \("k1"\): the only suffix allowed after the key is :active/],
    ["a bare key", key, /^PII_KEYS entry 1: expected <keyId>:<base64 key>/],
    ["a stray comma", `k1:${key}:active,`, /^PII_KEYS entry 2 is empty/],
  ];
  it.each(cases)("refuses %s, naming the entry but no key material", (_, text, message) => {
    const error = configError(text);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
    for (const spelling of [...spellings(key), short, short.slice(0, 12)])
      expect(error.message).not.toContain(spelling);
  });

  it("prints as its ids only: JSON.stringify, util.inspect, nested in a config and its keys", () => {
    const { active, old, text } = entries();
    const ring = parseKeyRing(text);
    const printed = [
      JSON.stringify(ring),
      JSON.stringify({ config: { ring } }),
      inspect(ring, { showHidden: true, depth: Infinity }),
      inspect({ config: { ring } }, { depth: Infinity }),
      inspect(ring.keyFor("2026b"), { showHidden: true }),
      JSON.stringify(ring.keyFor("2026b")),
      String(Object.values(ring)),
    ];
    expect(JSON.parse(printed[0]!)).toEqual({ activeKeyId: "2026b", keyIds: ["2026b", "2026a"] });
    expect(printed[2]).toContain("2026a");
    for (const output of printed) {
      for (const spelling of [...spellings(keyOf(active)), ...spellings(keyOf(old))]) {
        expect(output).not.toContain(spelling);
      }
    }
  });
});

describe("parseIndexKey", () => {
  it("reads 32 bytes of base64 or base64url", () => {
    const key = randomBytes(32);
    expect(
      parseIndexKey(`${key.toString("base64")}\n`)
        .export()
        .equals(key),
    ).toBe(true);
    expect(parseIndexKey(key.toString("base64url")).export().equals(key)).toBe(true);
  });

  it("refuses another length or an empty value without echoing the key", () => {
    const short = randomBytes(16).toString("base64");
    const error = configError(short, parseIndexKey);
    expect(error.message).toBe("PII_INDEX_KEY: the key must be 32 bytes, got 16");
    expect(configError("", parseIndexKey).message).toMatch(/^PII_INDEX_KEY is empty/);
  });
});

describe("generateKeyRingEntry", () => {
  it("makes a fresh entry that parses, active unless told otherwise", () => {
    const first = generateKeyRingEntry("2026a");
    const second = generateKeyRingEntry("2026b", { active: false });
    expect(first).toMatch(/^2026a:[A-Za-z0-9_-]{43}:active$/);
    expect(second).toMatch(/^2026b:[A-Za-z0-9_-]{43}$/);
    expect(keyOf(first)).not.toBe(keyOf(generateKeyRingEntry("2026a")));
    expect(parseKeyRing(`${first},${second}`).activeKeyId).toBe("2026a");
  });

  it("refuses an id that could not be parsed back", () => {
    expect(() => generateKeyRingEntry("2026.a")).toThrow(PiiConfigError);
    expect(() => generateKeyRingEntry("")).toThrow(/must be 1-32 characters/);
  });
});
