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

  it("censors what lies deeper than it walks instead of passing it through", () => {
    let nested: Record<string, unknown> = { password: "hunter2-hunter2" };
    for (let level = 0; level < 12; level++) nested = { level: nested };
    expect(JSON.stringify(redactSecrets(nested))).not.toContain("hunter2");
  });

  it("censors one-time API keys and stored hashes", () => {
    const output = redactSecrets({ result: { key: "cwk_abc.secret", passwordHash: "$argon2id$x", secretHash: "ab" } });
    expect(output).toEqual({ result: { key: CENSOR, passwordHash: CENSOR, secretHash: CENSOR } });
  });

  it("censors personal data by name: e-mail, phone, addresses and user agents", () => {
    const input = {
      input: { email: "ada@example.com", shippingAddress: { name: "Ada", phone: "+442079460958" } },
      session: { "User-Agent": "Firefox", userAgent: "Firefox", ip: "203.0.113.9" },
      saved: [{ address: { line1: "12 Marylebone Road" } }],
    };
    const output = redactSecrets(input);
    expect(output).toEqual({
      input: { email: CENSOR, shippingAddress: CENSOR },
      session: { "User-Agent": CENSOR, userAgent: CENSOR, ip: CENSOR },
      saved: [{ address: CENSOR }],
    });
    expect(JSON.stringify(output)).not.toMatch(/ada|Marylebone|7946|Firefox|203\.0\.113/i);
  });

  it("strips passwords from URLs in strings and error messages", () => {
    const line = { database: "postgres://app:s3cret@db:5432/cartwheel", note: "mail me@example.com" };
    expect(redactSecrets(line)).toEqual({ database: `postgres://app:${CENSOR}@db:5432/cartwheel`, note: line.note });
    const error = new Error("connect failed for postgres://app:s3cret@db/cartwheel");
    const output = redactSecrets({ err: error }).err as unknown as Record<string, unknown>;
    expect(JSON.stringify(output)).not.toContain("s3cret");
    expect(output.message).toBe(`connect failed for postgres://app:${CENSOR}@db/cartwheel`);
  });

  it("drops a query error's parameter values from its message and its params", () => {
    // The shape of drizzle's DrizzleQueryError, should one reach a log line unsanitised.
    const error = Object.assign(
      new Error('Failed query: insert into "users" values ($1, $2)\nparams: a@b.test,$argon2id$hash'),
      {
        query: 'insert into "users" values ($1, $2)',
        params: ["a@b.test", "$argon2id$hash"],
      },
    );
    const output = JSON.stringify(redactSecrets({ err: error }));
    expect(output).not.toContain("argon2id");
    expect(output).not.toContain("a@b.test");
    expect(output).toContain('insert into \\"users\\"');
  });
});
