// `npm run measure -w @cartwheel/web`: the budgets, measured (never asserted on time):
// initial JS gzip bytes from the build, and the catalog's Largest Contentful Paint in headless
// Chromium against the real server on localhost. Also screenshots the catalog at 375 px and
// 1280 px into test-artifacts/ for a visual check.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { openActor } from "../e2e/support/browser.ts";
import { artifactsDir, webDist } from "../e2e/support/paths.ts";
import { startTestServer } from "../e2e/support/server.ts";
import { measureInitialJs } from "./bundle-size.ts";

const RUNS = 5;

async function catalogLcp(page: Page): Promise<number> {
  await page.goto("/", { waitUntil: "networkidle" });
  await page.getByRole("list", { name: "Products" }).waitFor();
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]!.startTime);
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
}

const initial = measureInitialJs(webDist);
console.log(
  `initial JS: ${initial.files.join(", ")}\n  raw ${initial.rawBytes} B, gzip ${initial.gzipBytes} B (${(initial.gzipBytes / 1024).toFixed(1)} KB), brotli ${initial.brotliBytes} B`,
);

const server = await startTestServer();
try {
  const desktop = await openActor(server.url, { width: 1280, height: 900 });
  const lcps: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) lcps.push(await catalogLcp(desktop.page));
    mkdirSync(artifactsDir, { recursive: true });
    await desktop.page.screenshot({ path: join(artifactsDir, "catalog-1280.png") });
  } finally {
    await desktop.close();
  }
  const sorted = lcps.toSorted((a, b) => a - b);
  console.log(
    `catalog LCP (ms): cold ${lcps[0]!.toFixed(0)}, runs ${lcps.map((v) => v.toFixed(0)).join(" ")}, median ${sorted[Math.floor(RUNS / 2)]!.toFixed(0)}`,
  );

  const mobile = await openActor(server.url, { width: 375, height: 812 });
  try {
    await catalogLcp(mobile.page);
    await mobile.page.screenshot({ path: join(artifactsDir, "catalog-375.png") });
    await mobile.page.getByRole("list", { name: "Products" }).getByRole("link").first().click();
    await mobile.page.getByRole("button", { name: "Add to cart" }).click();
    await mobile.page.getByRole("link", { name: "Cart", exact: true }).click();
    await mobile.page.getByRole("heading", { name: "Your cart" }).waitFor();
    await mobile.page.screenshot({ path: join(artifactsDir, "cart-375.png") });
    const overflow = await mobile.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    console.log(`375 px: horizontal overflow ${overflow ? "YES" : "none"}; screenshots in ${artifactsDir}`);
  } finally {
    await mobile.close();
  }
} finally {
  await server.stop();
}
