import { describe, expect, it } from "vitest";
import { PooledIdGenerator } from "../src/id-generator.ts";

describe("pooled id generator", () => {
  it("gives lower-case hex ids of W3C length, distinct across several pool refills", () => {
    const ids = new PooledIdGenerator();
    // 4 KiB of bytes is 170 trace ids and span ids together; 2,000 of each refill the pool many times.
    const traceIds = Array.from({ length: 2000 }, () => ids.generateTraceId());
    const spanIds = Array.from({ length: 2000 }, () => ids.generateSpanId());
    expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id))).toBe(true);
    expect(spanIds.every((id) => /^[0-9a-f]{16}$/.test(id) && !/^0+$/.test(id))).toBe(true);
    expect(new Set(traceIds).size).toBe(traceIds.length);
    expect(new Set(spanIds).size).toBe(spanIds.length);
  });
});
