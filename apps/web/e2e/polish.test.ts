// @vitest-environment node
// What a new user noticed first, in Chromium against the built server, on a desktop and a
// phone width: page titles, no failed request on an anonymous visit, a real 404 for a missing
// product, the price range explained, a visible focus ring, signed-in users kept off the
// sign-in pages, and the app's own error box when the server goes away.
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createStaff, newCredentials } from "./support/api.ts";
import { hasChromium } from "./support/browser.ts";
import { signIn } from "./support/flows.ts";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";
import { startTestServer } from "./support/server.ts";
import { shopSuite } from "./support/suite.ts";

const runE2e = hasChromium() || process.env.CI === "true";
const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
] as const;

/** Failed responses and console errors the page produced while it was watched. */
function watchFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on("response", (response: Response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") failures.push(`console: ${message.text()}`);
  });
  return failures;
}

/** WCAG contrast of the focused element's outline against the background behind it. */
function focusRingContrast(page: Page): Promise<number> {
  // The helpers run in the page, where nothing from this module exists: they stay inside.
  /* oxlint-disable unicorn/consistent-function-scoping */
  return page.evaluate(() => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (value: number) => {
        const c = value / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    const focused = document.activeElement as HTMLElement;
    const ring = rgb(getComputedStyle(focused).outlineColor);
    // The outline sits outside the element (outline-offset), so what is behind it is the parent's background.
    let behind: number[] = [255, 255, 255];
    for (let node = focused.parentElement; node; node = node.parentElement) {
      const background = rgb(getComputedStyle(node).backgroundColor);
      if (background.length === 3 || (background.length === 4 && background[3]! > 0)) {
        behind = background;
        break;
      }
    }
    const [lighter, darker] = [luminance(ring), luminance(behind)].toSorted((a, b) => b - a);
    return (lighter! + 0.05) / (darker! + 0.05);
  });
  /* oxlint-enable unicorn/consistent-function-scoping */
}

describe.skipIf(!runE2e)("shop polish (Chromium against the built server)", { timeout: 120_000 }, () => {
  const staff = newCredentials("staff");
  const suite = shopSuite(staff);
  const open = (viewport: (typeof viewports)[number], url?: string) =>
    suite.open(viewport.name, { width: viewport.width, height: viewport.height }, url);

  for (const viewport of viewports) {
    describe(`at ${viewport.width} px`, () => {
      it("loads the catalog anonymously without a failed request or console error, titled per page", async () => {
        const page = await open(viewport);
        const failures = watchFailures(page);
        await page.goto("/");
        await page.getByRole("list", { name: "Products" }).waitFor();
        await page.waitForLoadState("networkidle");
        expect(failures).toEqual([]);
        expect(await page.title()).toBe("Catalog · Cartwheel");
        for (const [path, title] of [
          ["/cart", "Cart · Cartwheel"],
          ["/signin", "Sign in · Cartwheel"],
          ["/signup", "Sign up · Cartwheel"],
          ["/forgot-password", "Forgot password · Cartwheel"],
          ["/no-such-page", "Page not found · Cartwheel"],
        ] as const) {
          await page.goto(path);
          await page.waitForFunction((expected) => document.title === expected, title);
        }
        expect(failures).toEqual([]);
      });

      it("shows a 404 page, without a Retry, for a product that does not exist", async () => {
        const page = await open(viewport);
        await page.goto("/products/no-such-product");
        await page.getByRole("heading", { level: 1, name: "Product not found" }).waitFor();
        expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);
        expect(await page.title()).toBe("Product not found · Cartwheel");
        await page.getByRole("link", { name: "Back to the catalog" }).first().click();
        await page.getByRole("list", { name: "Products" }).waitFor();
      });

      it("explains a min price above the max price, and the explanation goes once they are in order", async () => {
        const page = await open(viewport);
        await page.goto("/");
        await page.getByLabel("Min price").fill("50");
        await page.getByLabel("Max price").fill("10");
        const explanation = page.getByRole("alert").filter({ hasText: "min price is above the max price" });
        await explanation.waitFor();
        expect(await page.getByLabel("Min price").getAttribute("aria-invalid")).toBe("true");
        await page.getByLabel("Max price").fill("80");
        await explanation.waitFor({ state: "detached" });
      });

      it("draws the keyboard focus ring at 3:1 or more against what is behind it", async () => {
        const page = await open(viewport);
        await page.goto("/");
        await page.getByRole("list", { name: "Products" }).waitFor();
        await page.getByLabel("Search").focus();
        // focus() from a script does not count as keyboard focus; Tab away and back does.
        await page.keyboard.press("Tab");
        await page.keyboard.press("Shift+Tab");
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("catalog-q");
        expect(await focusRingContrast(page)).toBeGreaterThanOrEqual(3);
      });
    });
  }

  it("sends a signed-in user from sign-in and sign-up on to where they were headed", async () => {
    const page = await open(viewports[1]);
    await signIn(page, staff);
    await page.goto("/signin?redirect=%2Fcart");
    await page.getByRole("heading", { name: "Your cart" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/cart");
    await page.goto("/signup");
    await page.getByRole("heading", { level: 1, name: "Catalog" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });

  it("on PostgreSQL, loads anonymously without a failed request and resumes a session on reload", async () => {
    const database = await createThrowawayDatabaseUrl();
    const own = await startTestServer({ databaseUrl: database.url });
    try {
      const member = newCredentials("pg-member");
      await createStaff(own.url, own.databaseUrl, member);
      const page = await open(viewports[0], own.url);
      const failures = watchFailures(page);
      await page.goto("/");
      await page.getByRole("list", { name: "Products" }).waitFor();
      await page.waitForLoadState("networkidle");
      await signIn(page, member);
      // A new page load: auth.resume trades the cookie for a session, with no 401 on the way.
      await page.reload();
      await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
      expect(failures).toEqual([]);
    } finally {
      await own.stop();
      await database.drop();
    }
  });

  it("shows the app's error box with a Retry when the server is gone before the Staff area loads", async () => {
    const own = await startTestServer();
    try {
      const member = newCredentials("staff");
      await createStaff(own.url, own.databaseUrl, member);
      const page = await open(viewports[0], own.url);
      await signIn(page, member);
      await own.stop();
      await page.getByRole("link", { name: "Staff", exact: true }).click();
      const box = page.getByRole("alert").filter({ hasText: "Could not load this page" });
      await box.waitFor();
      expect(await box.innerText()).toContain("Cannot reach the server");
      expect(await box.getByRole("button", { name: "Retry" }).count()).toBe(1);
    } finally {
      await own.stop();
    }
  });
});
