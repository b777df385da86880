// @vitest-environment node
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { accessTokenFor, callProcedure, queryProcedure, newCredentials, type Credentials } from "./support/api.ts";
import { hasChromium } from "./support/browser.ts";
import { addToCart, confirmTransition, openCheckout, signIn, signUp, waitForPlacedOrder } from "./support/flows.ts";
import { shopSuite } from "./support/suite.ts";

// Locally a machine without Chromium skips these; CI must never pass without running them.
const runE2e = hasChromium() || process.env.CI === "true";

describe.skipIf(!runE2e)("web app end to end (Chromium against the built server)", { timeout: 120_000 }, () => {
  const staff: Credentials = newCredentials("staff");
  const suite = shopSuite(staff);
  const actor = (name: string) => suite.open(name);

  const customer = newCredentials("customer");
  let customerPage: Page;
  let firstOrderId: string;

  it("signs up, searches, adds two products, checks out and sees the order in My orders", async () => {
    const page = (customerPage = await actor("customer"));
    await signUp(page, customer);
    await addToCart(page, "Skillet", "Cast Iron Skillet 10in", 2);
    await addToCart(page, "Dripper", "Pour-Over Coffee Dripper", 1);

    await openCheckout(page);
    const summary = await page.getByRole("list", { name: "Order summary" }).innerText();
    expect(summary).toContain("2 × Cast Iron Skillet 10in");
    expect(summary).toContain("1 × Pour-Over Coffee Dripper");
    expect(await page.locator(".total").innerText()).toContain("$91.98");
    await page.getByRole("button", { name: "Place order", exact: true }).click();
    firstOrderId = await waitForPlacedOrder(page);

    await page.getByRole("link", { name: "My orders", exact: true }).click();
    const orders = page.getByRole("list", { name: "Orders" }).getByRole("listitem");
    await orders.first().waitFor();
    expect(await orders.count()).toBe(1);
    expect(await orders.first().innerText()).toMatch(/\$91\.98[\s\S]*Pending/);
    // The cart was emptied by the successful order; the header shows no count.
    expect(await page.getByRole("link", { name: "Cart", exact: true }).innerText()).toBe("Cart");
  });

  it("lets staff mark the order paid, then shipped, and the customer sees the new status", async () => {
    const page = await actor("staff");
    await signIn(page, staff);
    await page.getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("link", { name: "Orders", exact: true }).click();
    await page.getByLabel("Status").selectOption("pending");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/status=pending/);

    const row = page.locator(`[data-order-id="${firstOrderId}"]`);
    await confirmTransition(page, row, "Mark paid");
    // Searching for pending orders, the paid order leaves the list; show all to move it on.
    await row.waitFor({ state: "detached" });
    await page.getByLabel("Status").selectOption("");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await confirmTransition(page, row, "Mark shipped");
    await row.getByRole("button", { name: "Mark delivered" }).waitFor();
    expect(await row.innerText()).toContain("Shipped");

    await customerPage.goto(`/orders/${firstOrderId}`);
    const history = customerPage.getByRole("list", { name: "Status history" });
    await history.getByText("Shipped").waitFor();
    expect(await customerPage.getByText(/^Status:/).innerText()).toContain("Shipped");
    expect(await history.innerText()).toMatch(/Pending → Paid[\s\S]*Paid → Shipped/);
  });

  it("makes exactly one order from a double-clicked Place order", async () => {
    const page = await actor("double-click");
    const shopper = newCredentials("double");
    await signUp(page, shopper);
    await addToCart(page, "Candle", "Scented Soy Candle", 1);
    await openCheckout(page);
    await page.getByRole("button", { name: "Place order", exact: true }).dblclick();
    const orderId = await waitForPlacedOrder(page);

    const token = await accessTokenFor(suite.server.url, shopper);
    const mine = await queryProcedure<{ items: Array<{ id: string }> }>(suite.server.url, "orders.mine", {}, token);
    expect(mine.items.map((order) => order.id)).toEqual([orderId]);
  });

  it("shows which lines are short when stock ran out before the order was placed", async () => {
    const staffToken = await accessTokenFor(suite.server.url, staff);
    const lamp = await callProcedure<{ id: string }>(
      suite.server.url,
      "catalog.create",
      {
        slug: "e2e-scarce-lamp",
        name: "Scarce Brass Lamp",
        description: "Only a few were made.",
        priceCents: 4200,
        stock: 3,
      },
      staffToken,
    );

    const page = await actor("conflict");
    await signUp(page, newCredentials("conflict"));
    await addToCart(page, "Scarce Brass", "Scarce Brass Lamp", 3);
    await addToCart(page, "Skillet", "Cast Iron Skillet 10in", 1);
    await openCheckout(page);
    // Someone else takes two lamps while this customer is on the checkout page.
    await callProcedure(
      suite.server.url,
      "catalog.adjustStock",
      { productId: lamp.id, delta: -2, reason: "adjustment" },
      staffToken,
    );

    await page.getByRole("button", { name: "Place order", exact: true }).click();
    const alert = page.getByRole("alert").filter({ hasText: "do not have enough stock" });
    await alert.waitFor();
    expect(await alert.innerText()).toContain("Scarce Brass Lamp: you asked for 3, only 1 available");
    expect(await alert.innerText()).not.toContain("Skillet");

    await page.getByRole("link", { name: "Cart", exact: true }).click();
    await page.getByText("Only 1 in stock").waitFor();
  });

  it("signs out a session that was revoked from another session", async () => {
    const person = newCredentials("sessions");
    const laptop = await actor("revoked-session");
    await signUp(laptop, person);
    const phone = await actor("revoking-session");
    await signIn(phone, person);

    await phone.getByRole("link", { name: "Account", exact: true }).click();
    const sessions = phone.getByRole("list", { name: "Sessions" }).getByRole("listitem");
    await sessions.nth(1).waitFor();
    expect(await sessions.count()).toBe(2);
    await phone.getByRole("button", { name: /^Revoke session/ }).click();
    await phone.waitForFunction(() => document.querySelectorAll('[aria-label="Sessions"] > li').length === 1);

    await laptop.getByRole("link", { name: "My orders", exact: true }).click();
    await laptop.getByRole("heading", { name: "Sign in" }).waitFor();
    await laptop.getByText("Your session has ended").first().waitFor();
    expect(await laptop.getByRole("button", { name: "Sign out" }).count()).toBe(0);
  });
});
