import { describe, expect, it } from "vitest";
import { DomainError, errorCodeByReason, isDomainError } from "../src/errors.ts";

describe("DomainError", () => {
  it("carries its reason and details, and names its subclass", () => {
    class ShortError extends DomainError<"insufficient_stock"> {}
    const shortages = [{ productId: "p1", name: "Mug", requested: 3, available: 1 }];
    const error = new ShortError("insufficient_stock", "Not enough stock", { shortages });
    expect(error).toMatchObject({ name: "ShortError", reason: "insufficient_stock", message: "Not enough stock" });
    expect(error.details.shortages).toEqual(shortages);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error("plain"))).toBe(false);
  });

  it("narrows by reason", () => {
    const error: DomainError = new DomainError("throttled", "Slow down", { retryAfterSeconds: 30 });
    expect(error.is("overloaded")).toBe(false);
    expect(error.is("throttled") && error.details.retryAfterSeconds).toBe(30);
  });

  it("answers each reason with a client-error or retry-later code, never a 500", () => {
    expect(new Set(Object.values(errorCodeByReason))).toEqual(
      new Set([
        "BAD_REQUEST",
        "UNAUTHORIZED",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "TOO_MANY_REQUESTS",
        "SERVICE_UNAVAILABLE",
      ]),
    );
    expect(errorCodeByReason.insufficient_stock).toBe("CONFLICT");
    expect(errorCodeByReason.invalid_credentials).toBe("UNAUTHORIZED");
  });
});
