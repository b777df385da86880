// The webhook URL policy through the HTTP stack, in production mode: without
// WEBHOOK_ALLOW_PRIVATE an admin's private, loopback, link-local or plain-http URL is a clear
// 400 naming the field, nothing is stored, and oversized input is refused before any lookup.
import { appRouter } from "@cartwheel/api";
import { WEBHOOK_URL_MAX_LENGTH } from "@cartwheel/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, query, type TestApp } from "./support/app.ts";

type ErrorBody = { error: { message: string; data: { code: string; reason?: string; details?: unknown } } };

const ADMIN = "Test 0190d7a2-3b4c-7d5e-8f60-718293a4b5c6:admin";
const STAFF = "Test 0190d7a2-3b4c-7d5e-8f60-718293a4b5c6:staff";
const create = (app: TestApp, url: string, authorization = ADMIN) =>
  app.request("/trpc/webhooks.create", {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ url, eventTypes: ["order.created"] }),
  });

describe("webhook URLs in production", () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each([
    ["http://hooks.example.com/cartwheel", "must use https"],
    ["https://127.0.0.1/hook", "private or reserved"],
    ["https://192.168.1.20/hook", "private or reserved"],
    ["https://169.254.169.254/latest/meta-data", "private or reserved"],
    ["https://[fd00::1]/hook", "private or reserved"],
  ])("refuses %s without WEBHOOK_ALLOW_PRIVATE", async (url, why) => {
    t = await createTestApp({ router: appRouter, env: { NODE_ENV: "production" } });
    const res = await create(t, url);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data).toMatchObject({ code: "BAD_REQUEST", reason: "webhook_url_refused", details: { field: "url" } });
    expect(error.message).toContain(why);
    const list = await t.request(query("webhooks.list"), { headers: { authorization: ADMIN } });
    expect(((await list.json()) as { result: { data: unknown[] } }).result.data).toEqual([]);
  });

  it("accepts a loopback receiver with WEBHOOK_ALLOW_PRIVATE=1 (with a warning), and never shows the secret again", async () => {
    t = await createTestApp({ router: appRouter, env: { NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "1" } });
    // Lifting the guard in production is allowed, and said out loud at start.
    expect(t.logs.text()).toContain("WEBHOOK_ALLOW_PRIVATE=1");
    const res = await create(t, "http://127.0.0.1:9/hook");
    expect(res.status).toBe(200);
    const created = ((await res.json()) as { result: { data: { secret: string } } }).result.data;
    expect(created.secret).toMatch(/^whsec_/);
    const list = await t.request(query("webhooks.list"), { headers: { authorization: ADMIN } });
    expect(await list.text()).not.toContain(created.secret);
  });

  it("refuses an oversized URL as invalid input, and non-admins outright", async () => {
    t = await createTestApp({ router: appRouter, env: { NODE_ENV: "production" } });
    const long = await create(t, `https://example.com/${"a".repeat(WEBHOOK_URL_MAX_LENGTH)}`);
    expect(long.status).toBe(400);
    expect(((await long.json()) as ErrorBody).error.data.reason).not.toBe("webhook_url_refused");
    const staff = await create(t, "https://example.com/hook", STAFF);
    expect(staff.status).toBe(403);
  });
});
