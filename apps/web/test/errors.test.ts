import { describe, expect, it } from "vitest";
import { errorCode, errorMessage, fieldErrorsOf, isUnauthorized, shortagesOf } from "../src/lib/errors.ts";
import { apiError } from "./api-error.ts";

describe("reading structured tRPC errors", () => {
  it("reads the stock shortages of a CONFLICT from data.details", () => {
    const error = apiError("CONFLICT", 409, "Not enough stock", {
      reason: "insufficient_stock",
      details: { shortages: [{ productId: "p1", name: "Mug", requested: 3, available: 1 }] },
    });
    expect(errorCode(error)).toBe("CONFLICT");
    expect(shortagesOf(error)).toEqual([{ productId: "p1", name: "Mug", requested: 3, available: 1 }]);
  });

  it("ignores shapes the server does not send", () => {
    const legacy = apiError("CONFLICT", 409, "Not enough stock", {
      shortages: [{ productId: "p1", name: "Mug", requested: 3, available: 1 }],
      details: { shortfalls: [{ productId: "p1", stock: 1 }] },
      zodError: { fieldErrors: { email: ["Bad"] } },
    });
    expect(shortagesOf(legacy)).toEqual([]);
    expect(fieldErrorsOf(legacy)).toEqual({});
    // A 401 always comes with code UNAUTHORIZED; the status alone is not read.
    expect(isUnauthorized(apiError("FORBIDDEN", 401, "Forbidden"))).toBe(false);
  });

  it("tolerates errors without details", () => {
    expect(shortagesOf(apiError("CONFLICT", 409, "Conflict"))).toEqual([]);
    expect(shortagesOf(new Error("boom"))).toEqual([]);
    expect(fieldErrorsOf(new Error("boom"))).toEqual({});
  });

  it("reads field errors and recognizes 401s", () => {
    const error = apiError("BAD_REQUEST", 400, "Invalid", { fieldErrors: { email: ["Bad"] }, formErrors: [] });
    expect(fieldErrorsOf(error)).toEqual({ email: ["Bad"] });
    expect(isUnauthorized(apiError("UNAUTHORIZED", 401, "Sign in"))).toBe(true);
    expect(isUnauthorized(error)).toBe(false);
    expect(errorMessage(error)).toBe("Invalid");
  });
});
