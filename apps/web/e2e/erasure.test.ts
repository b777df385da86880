// @vitest-environment node
// Erasure (GDPR) end to end, in Chromium against the built server, at a desktop and a phone
// width, on SQLite and (when there is a server) PostgreSQL: an admin erases a customer from a
// staff order page through the confirmation dialog, and the customer's open browser is signed
// out on its next step; a customer deletes their own account, and the old password then opens
// nothing. Plain staff never see the button, and a staff account is refused in the dialog.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createThrowawayDatabaseUrl, testBackends } from "@cartwheel/db/testing";
import { accessTokenFor, callProcedure, createStaff, newCredentials, queryProcedure } from "./support/api.ts";
import { hasChromium, saveScreenshot } from "./support/browser.ts";
import { addToCart, openCheckout, signIn, waitForPlacedOrder } from "./support/flows.ts";
import type { TestServerOptions } from "./support/server.ts";
import { shopSuite } from "./support/suite.ts";

// Locally a machine without Chromium skips these; CI must never pass without running them.
const runE2e = hasChromium() || process.env.CI === "true";
const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
] as const;
const backends = ["sqlite", ...(testBackends().includes("postgres") ? (["postgres"] as const) : [])];

const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
const isFocused = (page: Page, name: string) =>
  page.getByRole("button", { name, exact: true }).evaluate((button) => button === document.activeElement);

describe.skipIf(!runE2e).each(backends)("erasing customers in Chromium (%s)", { timeout: 180_000 }, (backend) => {
  // PostgreSQL: a throwaway database made before the suite's server starts on it (hooks run in order).
  const options: TestServerOptions = {};
  let drop: (() => Promise<void>) | undefined;
  if (backend === "postgres") {
    beforeAll(async () => {
      const database = await createThrowawayDatabaseUrl();
      options.databaseUrl = database.url;
      drop = database.drop;
    });
    // Registered before the suite's own afterAll, so it runs after the server has stopped.
    afterAll(() => drop?.());
  }
  const staff = newCredentials("erase-staff");
  const admin = newCredentials("erase-admin");
  const suite = shopSuite(staff, options);
  // After the suite's beforeAll, so its server is up.
  beforeAll(() => createStaff(suite.server.url, suite.server.databaseUrl, admin, "admin"));

  /** A signed-in customer who has placed an order to the sample address. */
  async function customerWithOrder(viewport: (typeof viewports)[number], label: string) {
    const customer = newCredentials(label);
    await callProcedure(suite.server.url, "auth.register", customer);
    const page = await suite.open(`${label}-customer`, { width: viewport.width, height: viewport.height });
    await signIn(page, customer);
    await addToCart(page, "Candle", "Scented Soy Candle", 1);
    await openCheckout(page);
    await page.getByRole("button", { name: "Place order", exact: true }).click();
    return { customer, page, orderId: await waitForPlacedOrder(page) };
  }

  for (const viewport of viewports) {
    describe(`at ${viewport.width} px`, () => {
      it("an admin erases the customer of an order after Escape first cancels; the customer is signed out", async () => {
        const { customer, page, orderId } = await customerWithOrder(viewport, "forgotten");
        const adminPage = await suite.open("admin", { width: viewport.width, height: viewport.height });
        await signIn(adminPage, admin);
        await adminPage.goto(`/staff/orders/${orderId}`);
        const customerCard = adminPage.getByRole("region", { name: "Customer" });
        await customerCard.getByRole("link", { name: customer.email }).waitFor();

        // Escape cancels: the dialog goes, focus is back on its button, and nothing changed.
        const erase = customerCard.getByRole("button", { name: "Erase customer…", exact: true });
        await erase.click();
        const dialog = adminPage.getByRole("dialog", { name: `Erase ${customer.name}?` });
        await dialog.waitFor();
        expect(await dialog.innerText()).toContain("cannot be undone");
        expect(await dialog.innerText()).toContain(customer.email);
        await adminPage.keyboard.press("Escape");
        await dialog.waitFor({ state: "hidden" });
        expect(await isFocused(adminPage, "Erase customer…")).toBe(true);
        expect(await customerCard.innerText()).toContain(customer.name);

        await erase.click();
        await dialog.getByRole("button", { name: "Erase customer", exact: true }).click();
        await dialog.waitFor({ state: "hidden" });
        const outcome = customerCard.getByText("The customer's personal data was erased.");
        await outcome.waitFor();
        // The button is gone, so focus is on what happened rather than lost to the page.
        expect(await outcome.evaluate((p) => p.parentElement === document.activeElement)).toBe(true);
        await customerCard.locator(".badge-erased", { hasText: "Erased customer" }).waitFor();
        const card = await customerCard.innerText();
        expect(card).not.toContain(customer.name);
        expect(card).not.toContain(customer.email);
        expect(await customerCard.getByRole("link").count()).toBe(0);
        expect(await erase.count()).toBe(0);
        // A pending order still has to reach its buyer: its address stays until delivered or cancelled.
        expect(await adminPage.getByRole("region", { name: "Ship to" }).innerText()).toContain("1 Main Street");
        expect(await overflowsSideways(adminPage)).toBe(false);
        console.log(
          `erased customer screenshot: ${await saveScreenshot(adminPage, `staff-order-erased-${viewport.width}-${backend}`)}`,
        );

        // After a reload the button stays away (the order says the customer is erased).
        await adminPage.reload();
        await customerCard.getByText("Erased customer").waitFor();
        expect(await erase.count()).toBe(0);

        // The orders list names nobody either.
        await adminPage.getByRole("link", { name: "← Orders" }).click();
        const row = adminPage.locator(`[data-order-id="${orderId}"]`);
        expect(await row.locator(".customer-line").innerText()).toContain("Erased customer");

        // The customer's open tab: the next step finds the session gone and asks to sign in.
        await page.getByRole("link", { name: "My orders", exact: true }).click();
        await page.waitForURL((url) => url.pathname === "/signin");
        await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
        expect(await page.getByRole("button", { name: "Sign out", exact: true }).count()).toBe(0);
      });

      it("a customer deletes their own account: a wrong password is answered at the field, the right one signs them out", async () => {
        const customer = newCredentials("leaver");
        await callProcedure(suite.server.url, "auth.register", customer);
        const page = await suite.open("leaver", { width: viewport.width, height: viewport.height });
        await signIn(page, customer);
        await page.getByRole("link", { name: "Account", exact: true }).click();
        const section = page.getByRole("region", { name: "Delete my account" });
        expect(await section.innerText()).toContain("cannot be undone");
        const password = page.getByLabel("Your password", { exact: true });

        await password.fill(`${customer.password}-wrong`);
        await page.getByRole("button", { name: "Delete my account…", exact: true }).click();
        const dialog = page.getByRole("dialog", { name: "Delete your account?" });
        await dialog.getByRole("button", { name: "Delete my account", exact: true }).click();
        await section.getByText("The password is incorrect.").waitFor();
        expect(await password.getAttribute("aria-invalid")).toBe("true");
        expect(await password.evaluate((input) => input === document.activeElement)).toBe(true);
        await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
        expect(await overflowsSideways(page)).toBe(false);

        await password.fill(customer.password);
        await page.getByRole("button", { name: "Delete my account…", exact: true }).click();
        await dialog.getByRole("button", { name: "Delete my account", exact: true }).click();
        await page.getByRole("alert").filter({ hasText: "Your account was deleted." }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/");
        await page.getByRole("link", { name: "Sign in", exact: true }).waitFor();
        expect(await page.getByRole("button", { name: "Sign out", exact: true }).count()).toBe(0);

        // The old password opens nothing, with the message any wrong sign-in gets.
        await page.goto("/signin");
        await page.getByLabel("Email").fill(customer.email);
        await page.getByLabel("Password").fill(customer.password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByText("Email or password is incorrect.").waitFor();
      });
    });
  }

  it("shows plain staff no erase button, and refuses a staff account in the dialog", async () => {
    const { customer, orderId } = await customerWithOrder(viewports[0], "promoted");
    const staffPage = await suite.open("staff", { width: 1280, height: 900 });
    await signIn(staffPage, staff);
    await staffPage.goto(`/staff/orders/${orderId}`);
    await staffPage.getByRole("region", { name: "Customer" }).getByRole("link", { name: customer.email }).waitFor();
    expect(await staffPage.getByRole("button", { name: "Erase customer…" }).count()).toBe(0);

    // The buyer has since joined the staff: only customer accounts are erased.
    const token = await accessTokenFor(suite.server.url, admin);
    const order = await queryProcedure<{ customer: { id: string } }>(
      suite.server.url,
      "orders.byId",
      { id: orderId },
      token,
    );
    await callProcedure(suite.server.url, "users.setRole", { userId: order.customer.id, role: "staff" }, token);
    const adminPage = await suite.open("admin-refused", { width: 1280, height: 900 });
    await signIn(adminPage, admin);
    await adminPage.goto(`/staff/orders/${orderId}`);
    await adminPage.getByRole("button", { name: "Erase customer…", exact: true }).click();
    const dialog = adminPage.getByRole("dialog", { name: `Erase ${customer.name}?` });
    await dialog.getByRole("button", { name: "Erase customer", exact: true }).click();
    await dialog.getByRole("alert").filter({ hasText: "Only customer accounts can be erased" }).waitFor();
    await dialog.getByRole("button", { name: "Keep customer", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await adminPage.getByRole("region", { name: "Customer" }).innerText()).toContain(customer.email);
  });
});
