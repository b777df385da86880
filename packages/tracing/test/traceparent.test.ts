import { describe, expect, it } from "vitest";
import { acceptableTracestate, formatTraceparent, parseTraceparent } from "../src/index.ts";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const spanId = "00f067aa0ba902b7";

describe("traceparent", () => {
  it("parses and formats W3C version 00", () => {
    const parsed = parseTraceparent(`00-${traceId}-${spanId}-01`);
    expect(parsed).toEqual({ traceId, spanId, sampled: true });
    expect(formatTraceparent(parsed!)).toBe(`00-${traceId}-${spanId}-01`);
    expect(parseTraceparent(`00-${traceId}-${spanId}-00`)?.sampled).toBe(false);
  });

  it("accepts a later version's extra fields but not version ff", () => {
    expect(parseTraceparent(`01-${traceId}-${spanId}-01-what-comes-next`)).toEqual({ traceId, spanId, sampled: true });
    expect(parseTraceparent(`ff-${traceId}-${spanId}-01`)).toBeUndefined();
  });

  it.each([
    undefined,
    "",
    "garbage",
    `00-${"0".repeat(32)}-${spanId}-01`,
    `00-${traceId}-${"0".repeat(16)}-01`,
    `00-${traceId.toUpperCase()}-${spanId}-01`,
    `00-${traceId}-${spanId}-01-extra`,
    `00-${traceId}-${spanId}-1`,
    `00-${traceId}-${spanId}-01${"x".repeat(300)}`,
  ])("refuses %j", (value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it("keeps a short printable tracestate and drops anything else", () => {
    expect(acceptableTracestate("vendor=abc,other=1")).toBe("vendor=abc,other=1");
    expect(acceptableTracestate("a=\u0001")).toBeUndefined();
    expect(acceptableTracestate(`a=${"b".repeat(600)}`)).toBeUndefined();
  });
});
