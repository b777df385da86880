// @vitest-environment node
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, createStaff, newCredentials, type Credentials } from "./support/api.ts";
import { hasChromium, openActor, saveScreenshot, type Actor } from "./support/browser.ts";
import { addToCart, openCheckout, signIn, waitForPlacedOrder } from "./support/flows.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

// Locally a machine without Chromium skips these; CI must never pass without running them.
const runE2e = hasChromium() || process.env.CI === "true";

/** Set on window once; still there later only if the page was never reloaded or navigated away. */
const setMarker = (page: Page) => page.evaluate(() => Object.assign(window, { liveMarker: "kept" }));
const marker = (page: Page) => page.evaluate(() => (window as { liveMarker?: string }).liveMarker);

const indicator = (page: Page) => page.getByRole("status").filter({ hasText: /^(Live|Connecting|Reconnecting)/ });

describe.skipIf(!runE2e)("live order updates (Chromium, two people, one server)", { timeout: 120_000 }, () => {
  let server: TestServer;
  const staff: Credentials = newCredentials("live-staff");
  const customer: Credentials = newCredentials("live-customer");
  let staffActor: Actor;
  let customerActor: Actor;

  beforeAll(async () => {
    if (!hasChromium()) throw new Error("Chromium is missing at /usr/bin/chromium: apt-get install -y chromium");
    server = await startTestServer();
    await createStaff(server.url, server.databaseUrl, staff);
    await callProcedure(server.url, "auth.register", customer);
    [staffActor, customerActor] = await Promise.all([openActor(server.url), openActor(server.url)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([staffActor?.close(), customerActor?.close()]);
    await server?.stop();
  });

  it("shows staff a new order, and the customer its shipping and delivery, without a reload", async ({
    onTestFailed,
  }) => {
    const staffPage = staffActor.page;
    const customerPage = customerActor.page;
    onTestFailed(async () => {
      for (const [name, page] of [
        ["staff", staffPage],
        ["customer", customerPage],
      ] as const) {
        console.error(`e2e failure screenshot (${name}): ${await saveScreenshot(page, `live-orders-${name}`)}`);
      }
      console.error(`--- server output (tail) ---\n${server.output().slice(-3000)}`);
    });

    // Staff watch the orders list, which is live before any order exists.
    await signIn(staffPage, staff);
    await staffPage.getByRole("link", { name: "Staff", exact: true }).click();
    await staffPage.getByRole("link", { name: "Orders", exact: true }).click();
    await indicator(staffPage)
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await setMarker(staffPage);

    await signIn(customerPage, customer);
    await addToCart(customerPage, "Candle", "Scented Soy Candle", 1);
    await openCheckout(customerPage);
    await customerPage.getByRole("button", { name: "Place order", exact: true }).click();
    const orderId = await waitForPlacedOrder(customerPage);
    await indicator(customerPage)
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await setMarker(customerPage);

    // The new order appears on the staff list by itself; staff move it on from there.
    const row = staffPage.locator(`[data-order-id="${orderId}"]`);
    await row.getByRole("button", { name: "Mark paid" }).click();
    await row.getByRole("button", { name: "Mark shipped" }).click();
    await row.getByRole("button", { name: "Mark delivered" }).waitFor();

    // The customer's open order page follows, status and history, with no reload.
    const status = customerPage.getByText(/^Status:/);
    await status.filter({ hasText: "Shipped" }).waitFor();
    const history = customerPage.getByRole("list", { name: "Status history" });
    await history.getByText("Shipped").waitFor();
    expect(await history.innerText()).toMatch(/Pending → Paid[\s\S]*Paid → Shipped/);
    expect(await indicator(customerPage).innerText()).toBe("Live");
    expect(await marker(customerPage)).toBe("kept");

    // My orders is live too (reached by an in-app link, so the marker must survive).
    await customerPage.getByRole("link", { name: "← My orders" }).click();
    const mine = customerPage.getByRole("list", { name: "Orders" }).getByRole("listitem");
    await mine.first().filter({ hasText: "Shipped" }).waitFor();
    await indicator(customerPage)
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await row.getByRole("button", { name: "Mark delivered" }).click();
    await mine.first().filter({ hasText: "Delivered" }).waitFor();
    expect(await marker(customerPage)).toBe("kept");
    expect(await marker(staffPage)).toBe("kept");
  });
});
