// Size and shape bounds of tRPC inputs, and bodies that carry no input at all. The same
// rules over a real socket, with hostile 10 MB bodies, are in hostile-body.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { bodyBudget, inputLimitsFrom } from "../src/input-limits.ts";
import { jsonShapeProblem } from "../src/json-shape.ts";
import { createTestApp, mutation, query, type TestApp } from "./support/app.ts";

interface ErrorBody {
  error: { message: string; data: { code: string; httpStatus: number; path?: string } };
}

const limits = { maxDepth: 4, maxItems: 10 };
const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
const post = (
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = { "Content-Type": "application/json" },
) => ({
  method: "POST",
  headers,
  body,
});

describe("jsonShapeProblem", () => {
  it("allows nesting up to the limit and refuses one level more", () => {
    expect(jsonShapeProblem(nested(4), limits)).toBeNull();
    expect(jsonShapeProblem(`{"a":{"b":[[1]]}}`, limits)).toBeNull();
    expect(jsonShapeProblem(nested(5), limits)).toEqual({ kind: "depth", limit: 4 });
    expect(jsonShapeProblem(`{"a":{"b":[[{}]]}}`, limits)).toEqual({ kind: "depth", limit: 4 });
  });

  it("counts array elements and object members, not characters", () => {
    expect(jsonShapeProblem(`[${Array(10).fill(1).join(",")}]`, limits)).toBeNull();
    expect(jsonShapeProblem(`[${Array(11).fill(1).join(",")}]`, limits)).toEqual({ kind: "items", limit: 10 });
    expect(jsonShapeProblem(`{"a":"${"x".repeat(100_000)}","b":1}`, limits)).toBeNull();
  });

  it("ignores brackets and commas inside strings, escaped quotes included", () => {
    expect(jsonShapeProblem(`["[[[[[[,,,,,,,,,,,,]]"]`, limits)).toBeNull();
    expect(jsonShapeProblem(`["a\\"[[[[[[[[", "\\\\"]`, limits)).toBeNull();
    // The string ends at the quote after an even run of backslashes: what follows is structure.
    expect(jsonShapeProblem(`["\\\\", [[[[1]]]]]`, limits)).toEqual({ kind: "depth", limit: 4 });
  });
});

describe("bodyBudget", () => {
  const config = loadConfig({ MAX_BODY_BYTES: "1000", MAX_BULK_BODY_BYTES: "5000" });
  const configured = inputLimitsFrom(config);

  it("gives ordinary calls MAX_BODY_BYTES and bulk procedures MAX_BULK_BODY_BYTES", () => {
    expect(bodyBudget(["auth.login"], configured)).toBe(1000);
    expect(bodyBudget(["catalog.upsertMany"], configured)).toBe(5000);
    expect(bodyBudget([], configured)).toBe(1000);
  });

  it("lets a batch carry the sum of its calls' budgets, never more than the bulk cap", () => {
    expect(bodyBudget(["auth.login", "orders.place", "catalog.create"], configured)).toBe(3000);
    expect(bodyBudget(["catalog.upsertMany", "auth.login"], configured)).toBe(5000);
  });

  it("defaults to 64 KB a call, 8 MB for bulk, depth 32 and 10,000 items", () => {
    expect(inputLimitsFrom(loadConfig({}))).toEqual({
      callBodyBytes: 65_536,
      bulkBodyBytes: 8_388_608,
      maxDepth: 32,
      maxItems: 10_000,
    });
  });
});

describe("tRPC input limits over HTTP", () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it("refuses a body over the call's budget with 413, also when it is streamed", async () => {
    t = await createTestApp({ env: { MAX_BODY_BYTES: "2048" } });
    const big = JSON.stringify({ email: "a@example.com", name: "x".repeat(4000), password: "long enough" });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1000)));
        controller.close();
      },
    });
    for (const body of [big, stream]) {
      const res = await t.request("/trpc/probe.signup", { ...post(body), duplex: "half" });
      expect(res.status).toBe(413);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.data.code).toBe("PAYLOAD_TOO_LARGE");
      expect(error.message).toContain("2 KB");
    }
  });

  it("gives the bulk procedure its larger budget, and reads it only after the role check", async () => {
    t = await createTestApp({ env: { MAX_BODY_BYTES: "2048" } });
    const items = Array.from({ length: 40 }, (_, i) => ({ slug: `bulk-${i}`, name: `Bulk ${i}`, priceCents: 100 }));
    const body = JSON.stringify({ items: items.map((item) => ({ ...item, description: "d".repeat(100) })) });
    expect(body.length).toBeGreaterThan(2048);

    // Nested far too deep, yet the answer is 401: the body of a refused caller is never parsed.
    const anonymous = await t.request("/trpc/catalog.upsertMany", post(`{"items":${nested(100)}}`));
    expect(anonymous.status).toBe(401);
    const staff = await t.request(
      "/trpc/catalog.upsertMany",
      post(body, { "Content-Type": "application/json", Authorization: "Test staff-1:staff" }),
    );
    expect(staff.status).toBe(200);
    expect(((await staff.json()) as { result: { data: { created: number } } }).result.data.created).toBe(40);
  });

  it("refuses JSON nested deeper than MAX_JSON_DEPTH, in a body or a GET input, before parsing it", async () => {
    t = await createTestApp();
    const deepBody = await t.request("/trpc/probe.signup", post(`{"email":${nested(33)}}`));
    expect(deepBody.status).toBe(400);
    const { error } = (await deepBody.json()) as ErrorBody;
    expect(error.message).toBe("The input nests arrays and objects more than 32 levels deep.");
    expect(error.data).toMatchObject({ code: "BAD_REQUEST", path: "probe.signup" });

    const deepQuery = await t.request(query("probe.slow", { ms: JSON.parse(nested(40)) as unknown }));
    expect(deepQuery.status).toBe(400);
    expect(((await deepQuery.json()) as ErrorBody).error.message).toContain("32 levels");
    expect((await t.request(query("probe.slow", { ms: 0 }))).status).toBe(200);
  });

  it("refuses more than MAX_JSON_ITEMS elements and members", async () => {
    t = await createTestApp({ env: { MAX_JSON_ITEMS: "100" } });
    const res = await t.request("/trpc/probe.signup", mutation({ email: Array(200).fill(0) }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toBe(
      "The input has more than 100 array elements and object members.",
    );
  });

  it("answers malformed JSON with 400 and a non-JSON body with 415", async () => {
    t = await createTestApp();
    const malformed = await t.request("/trpc/probe.signup", post(`{"email":`));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).error.message).toMatch(/^The request body is not valid JSON: /);

    const form = await t.request("/trpc/probe.signup", post("email=a", { "Content-Type": "multipart/form-data" }));
    expect(form.status).toBe(415);
    const text = await t.request("/trpc/probe.signup", post(`{"email":"a"}`, { "Content-Type": "text/plain" }));
    expect(text.status).toBe(415);
    expect(((await text.json()) as ErrorBody).error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("treats an absent or empty body as no input: the procedure's own validation answers", async () => {
    t = await createTestApp();
    for (const init of [{ method: "POST" }, post(""), post("", {}), post("  \n")]) {
      const res = await t.request("/trpc/probe.signup", init);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.message).toBe("Invalid input: This is required.");
    }
    const inputLess = await t.request("/trpc/probe.short", { method: "POST" });
    expect(((await inputLess.json()) as ErrorBody).error.data.code).toBe("CONFLICT");
    const batch = await t.request("/trpc/probe.short,probe.short?batch=1", { method: "POST" });
    const answers = (await batch.json()) as ErrorBody[];
    expect(answers.map((answer) => answer.error.data.code)).toEqual(["CONFLICT", "CONFLICT"]);
  });
});
