import { createHmac, randomBytes } from "node:crypto";
import { emailSchema } from "@cartwheel/contracts";
import { describe, expect, it } from "vitest";
import { emailIndex, generateIndexKey, normaliseEmail, parseIndexKey } from "../src/index.ts";

const indexKey = parseIndexKey(generateIndexKey());

describe("emailIndex", () => {
  it("is the same for an address however it is typed", () => {
    const index = emailIndex(indexKey, "a@example.com");
    expect(emailIndex(indexKey, "A@Example.com ")).toBe(index);
    expect(emailIndex(indexKey, "\tA@EXAMPLE.COM\n")).toBe(index);
    expect(emailIndex(indexKey, "b@example.com")).not.toBe(index);
  });

  it("is HMAC-SHA256 of the normalised address, base64url", () => {
    const bytes = randomBytes(32);
    const expected = createHmac("sha256", bytes).update("a@example.com").digest("base64url");
    expect(emailIndex(bytes, " A@example.com")).toBe(expected);
    expect(emailIndex(parseIndexKey(bytes.toString("base64")), "a@example.com")).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("differs under another key", () => {
    const other = parseIndexKey(generateIndexKey());
    expect(emailIndex(other, "a@example.com")).not.toBe(emailIndex(indexKey, "a@example.com"));
  });
});

describe("normaliseEmail", () => {
  it.each(["A@Example.com ", "  Ada.Lovelace+Shop@EXAMPLE.co.uk", "O'Brien@Example.IE\n", "x@y.io"])(
    "agrees with the sign-in schema for %j",
    (email) => {
      expect(normaliseEmail(email)).toBe(emailSchema.parse(email));
    },
  );
});
