import { describe, expect, it } from "vitest";
import { formatMoney } from "../src/runtime/output.ts";

describe("formatMoney", () => {
  it("prints minor units in the currency's own decimals", () => {
    expect(formatMoney(1999, "USD")).toBe("19.99 USD");
    expect(formatMoney(500, "JPY")).toBe("500 JPY");
    expect(formatMoney(12345, "KWD")).toBe("12.345 KWD");
  });
});
