import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createPiiBox, keyIdOf, parseKeyRing, PII_FIELDS, PiiIntegrityError } from "../src/index.ts";
import { testPiiBox } from "../src/testing.ts";
import { entries, keyOf } from "./helpers.ts";

describe("PiiBox", () => {
  it("seals for a registered field and opens only for that field", () => {
    const box = testPiiBox();
    const sealed = box.seal(PII_FIELDS.savedAddress, "12 High Street");
    expect(keyIdOf(sealed)).toBe("test");
    expect(box.open(PII_FIELDS.savedAddress, sealed)).toBe("12 High Street");
    expect(() => box.open(PII_FIELDS.orderShippingAddress, sealed)).toThrow(PiiIntegrityError);
  });

  it("gives every test box its own keys", () => {
    const sealed = testPiiBox().seal(PII_FIELDS.savedAddress, "12 High Street");
    expect(() => testPiiBox().open(PII_FIELDS.savedAddress, sealed)).toThrow(PiiIntegrityError);
  });

  it("reseals to the active key and prints no key bytes", () => {
    const { active, old } = entries();
    const before = createPiiBox(parseKeyRing(`${old}:active`));
    const after = createPiiBox(parseKeyRing(`${active},${old}`));
    const resealed = after.reseal(PII_FIELDS.orderShippingAddress, before.seal(PII_FIELDS.orderShippingAddress, "x"));
    expect(keyIdOf(resealed)).toBe(after.activeKeyId);
    expect(after.open(PII_FIELDS.orderShippingAddress, resealed)).toBe("x");
    const printed = `${inspect(after, { depth: Infinity, showHidden: true })}${JSON.stringify(after)}`;
    expect(printed).not.toContain(keyOf(active));
    expect(printed).not.toContain(keyOf(old));
  });
});
