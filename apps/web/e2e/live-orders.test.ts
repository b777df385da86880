// @vitest-environment node
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callProcedure, createStaff, newCredentials, type Credentials } from "./support/api.ts";
import { hasChromium, openActor, saveScreenshot, type Actor } from "./support/browser.ts";
import { addToCart, confirmTransition, openCheckout, signIn, waitForPlacedOrder } from "./support/flows.ts";
import { startTestServer, type TestServer } from "./support/server.ts";
import { createThrowawayDatabaseUrl } from "@cartwheel/db/testing";

// Locally a machine without Chromium skips these; CI must never pass without running them.
const runE2e = hasChromium() || process.env.CI === "true";

/** Set on window once; still there later only if the page was never reloaded or navigated away. */
const setMarker = (page: Page) => page.evaluate(() => Object.assign(window, { liveMarker: "kept" }));
const marker = (page: Page) => page.evaluate(() => (window as { liveMarker?: string }).liveMarker);

const indicator = (page: Page) => page.getByRole("status").filter({ hasText: /^(Live|Connecting|Reconnecting)/ });

/**
 * Where the two people are: one SQLite process for both, or, as in production, staff on one
 * instance and the customer on another over one PostgreSQL database, so every event the page
 * shows crossed instances (LISTEN/NOTIFY).
 */
const TOPOLOGIES = [
  {
    name: "SQLite, one process",
    async start() {
      const server = await startTestServer();
      return { servers: [server], staffServer: server, customerServer: server, drop: async () => {} };
    },
  },
  {
    name: "PostgreSQL, staff and customer on different instances",
    async start() {
      const database = await createThrowawayDatabaseUrl();
      const staffServer = await startTestServer({ databaseUrl: database.url });
      const customerServer = await startTestServer({ databaseUrl: database.url, seed: false });
      return { servers: [staffServer, customerServer], staffServer, customerServer, drop: database.drop };
    },
  },
];

describe.skipIf(!runE2e).each(TOPOLOGIES)(
  "live order updates in Chromium ($name)",
  { timeout: 120_000 },
  (topology) => {
    let servers: TestServer[] = [];
    let drop: (() => Promise<void>) | undefined;
    const staff: Credentials = newCredentials("live-staff");
    const customer: Credentials = newCredentials("live-customer");
    let staffActor: Actor;
    let customerActor: Actor;

    beforeAll(async () => {
      if (!hasChromium()) throw new Error("Chromium is missing at /usr/bin/chromium: apt-get install -y chromium");
      const started = await topology.start();
      ({ servers, drop } = started);
      await createStaff(started.staffServer.url, started.staffServer.databaseUrl, staff);
      await callProcedure(started.customerServer.url, "auth.register", customer);
      [staffActor, customerActor] = await Promise.all([
        openActor(started.staffServer.url),
        openActor(started.customerServer.url),
      ]);
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled([staffActor?.close(), customerActor?.close()]);
      await Promise.allSettled(servers.map((each) => each.stop()));
      await drop?.();
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
        for (const each of servers) console.error(`--- server output (tail) ---\n${each.output().slice(-3000)}`);
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
      await confirmTransition(staffPage, row, "Mark paid");
      await confirmTransition(staffPage, row, "Mark shipped");
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
      await confirmTransition(staffPage, row, "Mark delivered");
      await mine.first().filter({ hasText: "Delivered" }).waitFor();
      expect(await marker(customerPage)).toBe("kept");
      expect(await marker(staffPage)).toBe("kept");
    });
  },
);
