// @vitest-environment node
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measureInitialJs } from "../scripts/bundle-size.ts";

const dist = fileURLToPath(new URL("../dist", import.meta.url));

describe("production build", () => {
  it("exists (npm test builds first)", () => {
    expect(existsSync(join(dist, "index.html")), "run `npm run build -w @cartwheel/web`").toBe(true);
  });

  it("keeps the initial JavaScript within 150 KB gzip", () => {
    const initial = measureInitialJs(dist);
    expect(initial.files.length).toBeGreaterThan(0);
    expect(initial.gzipBytes).toBeLessThanOrEqual(150 * 1024);
  });

  it("keeps the staff area out of the initial bundle", () => {
    const initial = measureInitialJs(dist);
    const staffChunks = readdirSync(join(dist, "assets")).filter((f) => /^Staff.*\.js$/.test(f));
    expect(staffChunks.length).toBeGreaterThan(0);
    expect(initial.files.some((f) => f.includes("Staff"))).toBe(false);
    // The webhooks screens live in their own feature folder, so their chunk is not named Staff*.
    expect(readdirSync(join(dist, "assets")).some((f) => /^WebhooksPage.*\.js$/.test(f))).toBe(true);
    expect(initial.files.some((f) => f.includes("Webhooks"))).toBe(false);
  });

  it("keeps the SSE subscription link and its EventSource out of the initial bundle", () => {
    const initial = measureInitialJs(dist);
    const sseChunks = readdirSync(join(dist, "assets")).filter((f) => /^subscription-link.*\.js$/.test(f));
    expect(sseChunks.length).toBeGreaterThan(0);
    expect(initial.files.some((f) => f.includes("subscription-link"))).toBe(false);
  });

  it("keeps the checkout and the zod it validates addresses with out of the initial bundle", () => {
    const initial = measureInitialJs(dist);
    const assets = readdirSync(join(dist, "assets"));
    expect(assets.some((f) => /^CheckoutPage.*\.js$/.test(f))).toBe(true);
    expect(initial.files.some((f) => f.includes("CheckoutPage"))).toBe(false);
    // zod names its error class; no initial file may carry it.
    const withZod = assets.filter(
      (f) => f.endsWith(".js") && readFileSync(join(dist, "assets", f), "utf8").includes("ZodError"),
    );
    expect(withZod.length).toBeGreaterThan(0);
    expect(initial.files.filter((f) => withZod.some((z) => f.endsWith(z)))).toEqual([]);
  });

  it("has no inline script, so a script-src 'self' CSP holds", () => {
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body?.trim()).toBe("");
    }
  });
});
