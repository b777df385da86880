// @vitest-environment node
// Shipping an order end to end, in Chromium against the built server, at a desktop and a
// phone width, on SQLite and (when there is a server) PostgreSQL: the customer enters and
// saves an address at checkout, staff find the order by the short id the customer sees, check
// who placed it and where it goes, mark it paid and shipped through the confirmation dialog,
// and the customer's order page shows the tracking number. A bad phone never leaves checkout.
import type { Page } from "playwright-core";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { createThrowawayDatabaseUrl, testBackends } from "@cartwheel/db/testing";
import { accessTokenFor, callProcedure, newCredentials, queryProcedure, type Credentials } from "./support/api.ts";
import { hasChromium, saveScreenshot } from "./support/browser.ts";
import {
  addToCart,
  confirmTransition,
  enterShippingAddress,
  openCheckout,
  signIn,
  waitForPlacedOrder,
} from "./support/flows.ts";
import type { TestServerOptions } from "./support/server.ts";
import { shopSuite } from "./support/suite.ts";

// Locally a machine without Chromium skips these; CI must never pass without running them.
const runE2e = hasChromium() || process.env.CI === "true";
const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 740 },
] as const;
const backends = ["sqlite", ...(testBackends().includes("postgres") ? (["postgres"] as const) : [])];

const PHONE_MESSAGE = "Enter the phone number with its country code, such as +14155550123.";

/** The text an assistive technology reads as the element's description. */
const description = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((element) =>
    (element.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );

const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement as HTMLElement | null;
    return (focused?.id && document.querySelector(`label[for="${focused.id}"]`)?.textContent) || focused?.textContent;
  });

describe.skipIf(!runE2e).each(backends)("shipping orders in Chromium (%s)", { timeout: 180_000 }, (backend) => {
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
  const staff = newCredentials("ship-staff");
  const suite = shopSuite(staff, options);

  async function customerAt(viewport: (typeof viewports)[number], label: string) {
    const customer: Credentials = newCredentials(label);
    await callProcedure(suite.server.url, "auth.register", customer);
    const page = await suite.open(`${label}-customer`, { width: viewport.width, height: viewport.height });
    await signIn(page, customer);
    await addToCart(page, "Candle", "Scented Soy Candle", 1);
    return { customer, page };
  }

  for (const viewport of viewports) {
    describe(`at ${viewport.width} px`, () => {
      it("ships to a new saved address: staff find it by short id, mark it paid and shipped, the customer sees tracking", async () => {
        const { customer, page } = await customerAt(viewport, "shipper");
        const recipient = `Grace Hopper ${viewport.width}`;
        await openCheckout(page, null);
        await enterShippingAddress(
          page,
          {
            name: recipient,
            line1: "42 Harbour Road",
            line2: "Flat 3",
            city: "Portsmouth",
            region: "Hampshire",
            postalCode: "po1 2ab",
            country: "GB",
            phone: "+44 20 7946 0958",
          },
          { save: true },
        );
        expect(await overflowsSideways(page)).toBe(false);
        await page.getByRole("button", { name: "Place order", exact: true }).click();
        const orderId = await waitForPlacedOrder(page);

        // The customer's order page: the short id people quote, and the address as stored.
        const heading = await page.getByRole("heading", { level: 1 }).innerText();
        const shortId = heading.replace(/^Order /, "");
        expect(shortId).toBe(orderId.slice(-8).toUpperCase());
        const shipTo = await page.locator("address").innerText();
        expect(shipTo).toContain(recipient);
        expect(shipTo).toContain("PO1 2AB Portsmouth");
        expect(shipTo).toContain("United Kingdom");
        expect(shipTo).toContain("+442079460958");

        // Saved to the account, for the next checkout.
        await page.getByRole("link", { name: "Account", exact: true }).click();
        const saved = page.getByRole("list", { name: "Saved addresses" });
        expect(await saved.innerText()).toContain("42 Harbour Road");

        // Staff search by the short id as the customer read it out.
        const staffPage = await suite.open("staff", { width: viewport.width, height: viewport.height });
        await signIn(staffPage, staff);
        await staffPage.getByRole("link", { name: "Staff", exact: true }).click();
        await staffPage.getByRole("link", { name: "Orders", exact: true }).click();
        await staffPage.getByLabel("Order", { exact: true }).fill(shortId);
        await staffPage.getByRole("button", { name: "Search", exact: true }).click();
        await staffPage.waitForURL((url) => url.searchParams.get("ref")?.includes(shortId) ?? false);
        const rows = staffPage.getByRole("list", { name: "Orders" }).getByRole("listitem");
        await rows.first().waitFor();
        expect(await rows.count()).toBe(1);
        const rowText = await rows.first().innerText();
        expect(rowText).toContain(customer.name);
        expect(rowText).toContain(customer.email);
        expect(rowText).toContain("Pending");
        console.log(
          `staff search screenshot: ${await saveScreenshot(staffPage, `staff-order-search-${viewport.width}-${backend}`)}`,
        );

        await rows
          .first()
          .getByRole("link", { name: `Order ${shortId}` })
          .click();
        await staffPage.getByRole("heading", { level: 2, name: `Order ${shortId}` }).waitFor();
        await staffPage.waitForFunction((title) => document.title === title, `Order ${shortId} · Staff · Cartwheel`);
        const customerCard = await staffPage.getByRole("region", { name: "Customer" }).innerText();
        expect(customerCard).toContain(customer.name);
        expect(customerCard).toContain(customer.email);
        const shipCard = await staffPage.getByRole("region", { name: "Ship to" }).innerText();
        expect(shipCard).toContain("42 Harbour Road");
        expect(shipCard).toContain("Flat 3");
        expect(shipCard).toContain("Phone: +442079460958");
        const history = staffPage.getByRole("list", { name: "Status history" });
        expect(await history.innerText()).toContain(`Placed: Pending`);

        // Escape cancels: the dialog goes, focus is back on its button, and nothing changed.
        await staffPage.getByRole("button", { name: "Mark paid", exact: true }).click();
        const dialog = staffPage.getByRole("dialog", { name: `Mark order ${shortId} paid?` });
        await dialog.waitFor();
        expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
        await staffPage.keyboard.press("Escape");
        await dialog.waitFor({ state: "hidden" });
        expect(await focusedLabel(staffPage)).toBe("Mark paid");
        expect(await staffPage.getByText(/^Status:/).innerText()).toContain("Pending");

        await confirmTransition(staffPage, staffPage, "Mark paid");
        await staffPage.getByText(`Order ${shortId} is now paid.`).waitFor();
        await staffPage
          .getByText(/^Status:/)
          .filter({ hasText: "Paid" })
          .waitFor();

        // Shipping asks for the carrier and tracking number in the dialog, focus in its first input.
        await staffPage.getByRole("button", { name: "Mark shipped", exact: true }).click();
        const shipDialog = staffPage.getByRole("dialog", { name: `Mark order ${shortId} shipped?` });
        await shipDialog.waitFor();
        expect(await focusedLabel(staffPage)).toBe("Carrier (optional)");
        await shipDialog.getByRole("button", { name: "Go back" }).click();
        await confirmTransition(staffPage, staffPage, "Mark shipped", {
          carrier: "Royal Mail",
          trackingNumber: `RM${viewport.width}0001GB`,
        });
        await staffPage
          .getByText(/^Status:/)
          .filter({ hasText: "Shipped" })
          .waitFor();
        // The history arrives with the refetch after the live status change: wait for its new step.
        await history.getByText("Paid → Shipped").waitFor();
        expect(await history.innerText()).toMatch(
          new RegExp(
            `Pending → Paid\\s+by ${staff.name} \\(staff\\)[\\s\\S]*Paid → Shipped\\s+by ${staff.name} \\(staff\\)`,
          ),
        );
        expect(await staffPage.getByRole("region", { name: "Ship to" }).innerText()).toContain(
          `RM${viewport.width}0001GB`,
        );
        expect(await overflowsSideways(staffPage)).toBe(false);
        console.log(
          `staff order page screenshot: ${await saveScreenshot(staffPage, `staff-order-page-${viewport.width}-${backend}`)}`,
        );

        // The customer's order page shows where the parcel is.
        await page.goto(`/orders/${orderId}`);
        await page.getByText(`RM${viewport.width}0001GB`).waitFor();
        expect(await page.getByText("Royal Mail").count()).toBe(1);
        expect(await page.getByText(/^Status:/).innerText()).toContain("Shipped");
      });

      it("refuses an invalid phone at its field with the plain message, and places nothing", async () => {
        const { customer, page } = await customerAt(viewport, "bad-phone");
        await openCheckout(page, null);
        await enterShippingAddress(page, {
          name: "Alan Turing",
          line1: "1 Bletchley Park",
          city: "Milton Keynes",
          country: "GB",
          phone: "0800 123",
        });
        await page.getByRole("button", { name: "Place order", exact: true }).click();

        const phone = page.getByLabel("Phone", { exact: true });
        await page.getByText(PHONE_MESSAGE).waitFor();
        expect(await phone.getAttribute("aria-invalid")).toBe("true");
        expect(await description(page, "Phone")).toContain(PHONE_MESSAGE);
        expect(await phone.evaluate((input) => input === document.activeElement)).toBe(true);
        expect(new URL(page.url()).pathname).toBe("/checkout");

        const token = await accessTokenFor(suite.server.url, customer);
        const mine = await queryProcedure<{ items: unknown[] }>(suite.server.url, "orders.mine", {}, token);
        expect(mine.items).toEqual([]);
      });
    });
  }

  it("removes a saved address from the account page only once the dialog is confirmed", async () => {
    const customer = newCredentials("address-book");
    await callProcedure(suite.server.url, "auth.register", customer);
    const token = await accessTokenFor(suite.server.url, customer);
    const address = {
      name: "Ada Lovelace",
      line1: "12 Analytical Row",
      city: "London",
      country: "GB",
      phone: "+442079460000",
    };
    await callProcedure(suite.server.url, "addresses.save", { address }, token);
    const page = await suite.open("address-book", { width: 375, height: 740 });
    await signIn(page, customer);
    await page.getByRole("link", { name: "Account", exact: true }).click();
    const saved = page.getByRole("list", { name: "Saved addresses" });
    await saved.getByText("12 Analytical Row").waitFor();

    const remove = page.getByRole("button", {
      name: "Remove address: Ada Lovelace, 12 Analytical Row, London, United Kingdom",
    });
    await remove.click();
    const dialog = page.getByRole("dialog", { name: "Remove this address?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await remove.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await saved.count()).toBe(1);

    await remove.click();
    await dialog.getByRole("button", { name: "Remove address" }).click();
    await page.getByText("No saved addresses.").waitFor();
    expect(
      await page
        .getByRole("status")
        .filter({ hasText: "Address removed." })
        .evaluate((p) => p === document.activeElement),
    ).toBe(true);
    const left = await queryProcedure<unknown[]>(suite.server.url, "addresses.list", {}, token);
    expect(left).toEqual([]);
  });

  it("answers an order reference that cannot be one with the server's message at the field", async () => {
    const page = await suite.open("staff-bad-ref", { width: 1280, height: 900 });
    await signIn(page, staff);
    await page.goto("/staff/orders");
    await page.getByLabel("Order", { exact: true }).fill("B816");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const field = page.getByLabel("Order", { exact: true });
    await page.waitForFunction(() => document.getElementById("order-search-ref")?.getAttribute("aria-invalid"));
    expect(await description(page, "Order")).toContain("Enter an order id, or its last 8 to 12 hex digits");
    expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await page.getByRole("list", { name: "Orders" }).count()).toBe(0);
  });
});
