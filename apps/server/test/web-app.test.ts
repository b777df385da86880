import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../src/hono-env.ts";
import { hasWebApp, webApp } from "../src/middleware/web-app.ts";

const root = mkdtempSync(join(tmpdir(), "cartwheel-web-"));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), "<!doctype html><title>Cartwheel</title>");
writeFileSync(join(root, "assets", "index-abc123.js"), "console.log('app')");
writeFileSync(join(root, "assets", "index-abc123.js.gz"), gzipSync("console.log('app')"));
writeFileSync(join(root, "favicon.svg"), "<svg/>");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const app = new Hono<AppEnv>();
app.use("*", webApp({ root, isApiPath: (path) => path.startsWith("/trpc") }));
app.get("/trpc/ping", (c) => c.text("pong"));
app.notFound((c) => c.text("api 404", 404));

describe("web app static serving", () => {
  it("detects a built app", () => {
    expect(hasWebApp(root)).toBe(true);
    expect(hasWebApp(join(root, "missing"))).toBe(false);
  });

  it("serves index.html at / without long caching", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<title>Cartwheel</title>");
  });

  it("caches hashed assets for a year and revalidates unhashed files", async () => {
    const asset = await app.request("/assets/index-abc123.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const icon = await app.request("/favicon.svg");
    expect(icon.headers.get("cache-control")).toBe("no-cache");
  });

  it("sends the precompressed file when the client accepts it", async () => {
    const res = await app.request("/assets/index-abc123.js", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
  });

  it("falls back to index.html for client-side routes", async () => {
    const res = await app.request("/products/blue-mug?x=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("Cartwheel");
  });

  it("answers 404 for missing files instead of HTML", async () => {
    expect((await app.request("/assets/index-gone.js")).status).toBe(404);
    expect((await app.request("/robots.txt")).status).toBe(404);
  });

  it("leaves API paths and non-GET methods to the API", async () => {
    expect(await (await app.request("/trpc/ping")).text()).toBe("pong");
    expect(await (await app.request("/trpc/unknown")).text()).toBe("api 404");
    expect((await app.request("/", { method: "POST" })).status).toBe(404);
  });

  it("refuses path traversal", async () => {
    const res = await app.request("/assets/..%2f..%2fetc%2fpasswd");
    expect(await res.text()).not.toContain("root:");
  });
});
