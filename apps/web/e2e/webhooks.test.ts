// @vitest-environment node
// The staff area's webhooks in Chromium against the built server: an admin creates an endpoint
// for a loopback receiver that verifies signatures with the secret the page showed once, a
// customer's order arrives there as order.created, the admin sees the 2xx attempt and
// redelivers it (same webhook-id), and rotates the secret behind a confirmation. Staff are
// shown neither the link nor the page.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenFor, callProcedure, createStaff, newCredentials, queryProcedure } from "./support/api.ts";
import { hasChromium, openActor, saveScreenshot, type Actor } from "./support/browser.ts";
import { signIn } from "./support/flows.ts";
import { startTestServer, type TestServer } from "./support/server.ts";
import { startWebhookReceiver, type WebhookReceiver } from "@cartwheel/webhooks/testing";

const runE2e = hasChromium() || process.env.CI === "true";

const HOOK_PATH = "/hooks";

describe.skipIf(!runE2e)("webhooks page (Chromium against the built server)", { timeout: 120_000 }, () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  /** The one path this suite's endpoint delivers to. */
  const hookUrl = () => receiver.url(HOOK_PATH);
  const admin = newCredentials("admin");
  const staff = newCredentials("staff");
  const customer = newCredentials("customer");
  const opened: Actor[] = [];

  async function signedIn(who: typeof admin): Promise<Page> {
    const actor = await openActor(server.url);
    opened.push(actor);
    await actor.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await signIn(actor.page, who);
    return actor.page;
  }

  /** Places an order through the API as the customer; returns its id. */
  async function placeOrder(): Promise<string> {
    const token = await accessTokenFor(server.url, customer);
    const products = await queryProcedure<{ items: { id: string }[] }>(server.url, "catalog.list", { limit: 1 }, token);
    const order = await callProcedure<{ id: string }>(
      server.url,
      "orders.place",
      { items: [{ productId: products.items[0]!.id, quantity: 1 }], idempotencyKey: randomUUID() },
      token,
    );
    return order.id;
  }

  beforeAll(async () => {
    if (!hasChromium()) throw new Error("Chromium is missing at /usr/bin/chromium: apt-get install -y chromium");
    receiver = await startWebhookReceiver();
    // The receiver listens on loopback, which the SSRF guard refuses unless told otherwise.
    server = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE: "1" } });
    await createStaff(server.url, server.databaseUrl, admin, "admin");
    await createStaff(server.url, server.databaseUrl, staff);
    await callProcedure(server.url, "auth.register", customer);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((actor) => actor.close()));
    await server?.stop();
    await receiver?.close();
  });

  it("creates an endpoint, shows its secret once, delivers a verified order.created and redelivers it", async ({
    onTestFailed,
  }) => {
    const page = await signedIn(admin);
    onTestFailed(async () => console.error(`screenshot: ${await saveScreenshot(page, "webhooks")}`));
    await page.getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("link", { name: "Webhooks", exact: true }).click();
    await page.getByText("No webhook endpoints yet.").waitFor();

    // The shared schema's messages, before anything is sent.
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByRole("form", { name: "New webhook endpoint" });
    await form.getByRole("button", { name: "Create endpoint" }).click();
    await form.getByText("Enter an http(s) URL.").waitFor();
    await form.getByText("Choose at least one event type.").waitFor();

    await form.getByLabel("URL").fill(hookUrl());
    await form.getByLabel("Description").fill("order feed");
    await form.getByRole("checkbox", { name: "order.created" }).check();
    await form.getByRole("button", { name: "Create endpoint" }).click();

    await page.getByText("you will not see it again").waitFor();
    const secret = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(page.url()).not.toContain(secret);
    const stored = await page.evaluate(() =>
      [localStorage, sessionStorage].flatMap((storage) => Object.values(storage)).join(" "),
    );
    expect(stored).not.toContain(secret);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    receiver.verifyWith(HOOK_PATH, secret);
    await page.getByRole("button", { name: "I have saved it" }).click();
    expect(await page.getByLabel("Signing secret", { exact: true }).count()).toBe(0);

    const row = page.getByRole("listitem", { name: `Endpoint ${hookUrl()}` });
    expect(await row.innerText()).toMatch(/Enabled[\s\S]*order feed[\s\S]*order\.created/);

    const orderId = await placeOrder();
    await receiver.untilReceived((got) =>
      got.some((hook) => hook.type === "order.created" && hook.data.orderId === orderId),
    );
    const [first] = receiver.received;
    expect(receiver.unverified).toBe(0);

    // The attempt is logged just after the receiver answers, so refresh until it shows.
    await row.getByRole("button", { name: "Deliveries" }).click();
    const delivery = row.getByRole("listitem", { name: "Delivery order.created" });
    for (let tries = 0; tries < 50; tries++) {
      if ((await delivery.count()) > 0 && /delivered/.test(await delivery.innerText())) break;
      await row.getByRole("button", { name: "Refresh" }).click();
      await page.waitForTimeout(200);
    }
    expect(await delivery.innerText()).toMatch(/delivered[\s\S]*204[\s\S]*\d+ ms/);
    expect(await delivery.innerText()).toContain(first!.webhookId);

    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await delivery.getByText("Queued").waitFor();
    await receiver.untilReceived((got) => got.filter((hook) => hook.webhookId === first!.webhookId).length === 2);
    expect(receiver.unverified).toBe(0);
  });

  it("rotates the secret only after an accessible confirmation, and shows the new one once", async () => {
    const page = await signedIn(admin);
    await page.goto("/staff/webhooks");
    const row = page.getByRole("listitem", { name: `Endpoint ${hookUrl()}` });
    await row.getByRole("button", { name: "Rotate secret" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.getByLabel("Signing secret", { exact: true }).count()).toBe(0);

    await row.getByRole("button", { name: "Rotate secret" }).click();
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByText("you will not see it again").waitFor();
    const rotated = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(rotated).toMatch(/^whsec_/);

    // Deliveries from now on are signed with it.
    receiver.verifyWith(HOOK_PATH, rotated);
    const before = receiver.received.length;
    const orderId = await placeOrder();
    await receiver.untilReceived((got) => got.slice(before).some((hook) => hook.data.orderId === orderId));
    expect(receiver.unverified).toBe(0);
  });

  it("shows the server's refusal of a URL on the field, saves edits, and disables an endpoint", async () => {
    const page = await signedIn(admin);
    await page.goto("/staff/webhooks");
    const row = page.getByRole("listitem", { name: `Endpoint ${hookUrl()}` });
    await row.getByRole("button", { name: "Edit" }).click();
    const form = row.getByRole("form", { name: `Edit ${hookUrl()}` });
    await form.getByLabel("URL").fill("http://nothing-here.invalid/hooks");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.getByRole("alert").getByText("Please fix the highlighted fields.").waitFor();
    await form.getByText("This webhook URL is refused: the URL's host does not resolve.").waitFor();
    expect(await form.getByLabel("URL").getAttribute("aria-invalid")).toBe("true");

    await form.getByLabel("URL").fill(hookUrl());
    await form.getByLabel("Description").fill("orders and their moves");
    await form.getByRole("checkbox", { name: "order.status_changed" }).check();
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.waitFor({ state: "detached" });
    await row.getByText("Events: order.created, order.status_changed").waitFor();
    await row.getByText("orders and their moves").waitFor();

    const toggle = row.getByRole("switch", { name: /^Enabled/ });
    expect(await toggle.getAttribute("aria-checked")).toBe("true");
    await toggle.press("Enter");
    await row.getByText("Disabled", { exact: true }).waitFor();
    await page.reload();
    await row.getByText("Disabled", { exact: true }).waitFor();
    expect(await toggle.getAttribute("aria-checked")).toBe("false");
  });

  it("shows staff no webhooks link, and the page itself says it is for admins", async () => {
    const page = await signedIn(staff);
    await page.getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("link", { name: "Orders", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "Webhooks" }).count()).toBe(0);
    await page.goto("/staff/webhooks");
    await page.getByText("Webhook endpoints are for administrators.").waitFor();
  });
});
