import { describe, expect, it } from "vitest";
import { CENSOR, redactSecrets } from "../src/redact.ts";

describe("redactSecrets", () => {
  it("returns the very same object when there is nothing to hide (no copy per log line)", () => {
    const line = { method: "GET", path: "/trpc/catalog.list", procedures: ["catalog.list"], status: 200 };
    expect(redactSecrets(line)).toBe(line);
  });

  it("censors secret keys at any depth and in arrays, case-insensitively, without touching the input", () => {
    const input = { a: { b: { c: { Authorization: "Bearer x" } } }, list: [{ refreshToken: "r" }, { ok: 1 }] };
    const output = redactSecrets(input);
    expect(output).toEqual({ a: { b: { c: { Authorization: CENSOR } } }, list: [{ refreshToken: CENSOR }, { ok: 1 }] });
    expect(input.a.b.c.Authorization).toBe("Bearer x");
    expect(output.list[1]).toBe(input.list[1]);
  });

  it("turns an error carrying a secret into a plain object that keeps its message and stack", () => {
    const error = Object.assign(new Error("request failed"), { config: { headers: { cookie: "sid=1" } } });
    const output = redactSecrets({ err: error }).err as unknown as Record<string, unknown>;
    expect(output).toMatchObject({ type: "Error", message: "request failed", config: { headers: { cookie: CENSOR } } });
    expect(output.stack).toBe(error.stack);
    const clean = new Error("plain");
    expect(redactSecrets({ err: clean }).err).toBe(clean);
  });
});
