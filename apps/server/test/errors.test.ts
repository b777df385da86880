import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApp, mutation, query, type TestApp } from "./support/app.ts";

interface ErrorBody {
  error: { message: string; data: Record<string, unknown> & { code: string; httpStatus: number } };
}

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe("errorFormatter", () => {
  it("turns zod failures into BAD_REQUEST with per-field issues", async () => {
    t = await createTestApp();
    const res = await t.request("/trpc/probe.signup", mutation({ email: "nope", name: "A", password: "longenough" }));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data.code).toBe("BAD_REQUEST");
    expect(error.data.fieldErrors).toEqual({
      email: [expect.any(String)],
      name: [expect.stringContaining("2")],
    });
    expect(error.data.formErrors).toEqual([]);
    expect(error.message).toMatch(/^Invalid input: email: .+; name: .+/);
    expect(error.data.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers a domain error with its reason's code, reason and details (e.g. stock shortages)", async () => {
    t = await createTestApp();
    const res = await t.request("/trpc/probe.short", mutation(null));
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data).toMatchObject({
      code: "CONFLICT",
      reason: "insufficient_stock",
      details: { shortages: [{ productId: "p1", name: "Mug", requested: 3, available: 1 }] },
    });
  });

  it("in production hides the message, SQL and stack of unexpected errors but logs them with the request id", async () => {
    t = await createTestApp({ env: { NODE_ENV: "production" } });
    const res = await t.request(query("probe.boom"));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret_table|password_hash|select |at .*\.ts/);
    const { error } = JSON.parse(text) as ErrorBody;
    expect(error.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.data.stack).toBeUndefined();
    expect(error.message).toMatch(/request id/);
    const requestId = res.headers.get("x-request-id");
    expect(error.data.requestId).toBe(requestId);
    const logged = t.logs.lines().find((line) => line.msg === "procedure failed");
    expect(logged).toMatchObject({ level: "error", requestId, procedure: "probe.boom" });
    expect(JSON.stringify(logged)).toContain("secret_table");
  });

  it("in development shows the message and stack to help debugging", async () => {
    t = await createTestApp();
    const { error } = (await (await t.request(query("probe.boom"))).json()) as ErrorBody;
    expect(error.message).toContain("secret_table");
    expect(typeof error.data.stack).toBe("string");
  });

  it("maps a lost database connection to SERVICE_UNAVAILABLE, not INTERNAL_SERVER_ERROR", async () => {
    t = await createTestApp();
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    vi.spyOn(t.services.database.db, "select").mockImplementation(() => {
      throw new Error("Failed query: select 1", { cause: refused });
    });
    const res = await t.request(query("probe.db"));
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).not.toContain("ECONNREFUSED");
  });

  it("counts errors by tRPC code in /metrics", async () => {
    t = await createTestApp();
    await t.request(query("probe.nope"));
    await t.request("/trpc/probe.signup", mutation({}));
    const metrics = await (await t.request("/metrics")).text();
    expect(metrics).toContain('cartwheel_trpc_errors_total{code="NOT_FOUND"} 1');
    expect(metrics).toContain('cartwheel_trpc_errors_total{code="BAD_REQUEST"} 1');
  });
});
