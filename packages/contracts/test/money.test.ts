import { describe, expect, it } from "vitest";
import { centsToInput, formatMoney, minorUnitsPerMajor, parseMoneyInput } from "../src/money.ts";

describe("money formatting", () => {
  it("formats integer cents with Intl.NumberFormat", () => {
    expect(formatMoney(1999, "USD", "en-US")).toBe("$19.99");
    expect(formatMoney(0, "USD", "en-US")).toBe("$0.00");
    expect(formatMoney(123456789, "USD", "en-US")).toBe("$1,234,567.89");
    expect(formatMoney(1999, "EUR", "de-DE")).toBe("19,99\u00a0€");
  });

  it("respects each currency's minor units", () => {
    expect(minorUnitsPerMajor("USD")).toBe(100);
    expect(minorUnitsPerMajor("JPY")).toBe(1);
    expect(formatMoney(500, "JPY", "en-US")).toBe("¥500");
  });

  it("parses typed prices into cents without float drift", () => {
    expect(parseMoneyInput("19.99")).toBe(1999);
    expect(parseMoneyInput("0.29")).toBe(29);
    expect(parseMoneyInput("19,5")).toBe(1950);
    expect(parseMoneyInput(" 20 ")).toBe(2000);
    expect(parseMoneyInput("1.999")).toBeNull();
    expect(parseMoneyInput("-1")).toBeNull();
    expect(parseMoneyInput("abc")).toBeNull();
    expect(parseMoneyInput("500", "JPY")).toBe(500);
    expect(parseMoneyInput("5.5", "JPY")).toBeNull();
  });

  it("turns cents back into input text", () => {
    expect(centsToInput(1999)).toBe("19.99");
    expect(centsToInput(500, "JPY")).toBe("500");
  });
});
