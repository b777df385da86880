// @vitest-environment node
// The staff area's dead letters in Chromium against the built server: an admin sees a failed
// job and retries it until the server's worker completes it; staff are not shown the page.
import { insertDeadLetteredJob } from "@cartwheel/db/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessTokenFor, createStaff, newCredentials, queryProcedure } from "./support/api.ts";
import { hasChromium, openActor, saveScreenshot, type Actor } from "./support/browser.ts";
import { signIn } from "./support/flows.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

const runE2e = hasChromium() || process.env.CI === "true";

describe.skipIf(!runE2e)("dead letters page (Chromium against the built server)", { timeout: 120_000 }, () => {
  let server: TestServer;
  const admin = newCredentials("admin");
  const staff = newCredentials("staff");
  const opened: Actor[] = [];

  async function signedIn(who: typeof admin): Promise<Page> {
    const actor = await openActor(server.url);
    opened.push(actor);
    await signIn(actor.page, who);
    return actor.page;
  }

  beforeAll(async () => {
    if (!hasChromium()) throw new Error("Chromium is missing at /usr/bin/chromium: apt-get install -y chromium");
    server = await startTestServer();
    await createStaff(server.url, server.databaseUrl, admin, "admin");
    await createStaff(server.url, server.databaseUrl, staff);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((actor) => actor.close()));
    await server?.stop();
  });

  it("lets an admin retry a failed job, which then completes and leaves the list", async ({ onTestFailed }) => {
    const id = await insertDeadLetteredJob(server.databaseUrl);
    const page = await signedIn(admin);
    onTestFailed(async () => console.error(`screenshot: ${await saveScreenshot(page, "dead-letters")}`));
    await page.getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("link", { name: "Dead letters", exact: true }).click();
    const row = page.locator(`[data-job-id="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/credentials\.purge[\s\S]*1 of 1 attempts[\s\S]*database is locked/);

    await row.getByRole("button", { name: "Retry" }).click();
    await row.waitFor({ state: "detached" });
    await page.getByText("No failed jobs.").waitFor();
    const token = await accessTokenFor(server.url, admin);
    let state = "";
    for (let tries = 0; tries < 100 && state !== "completed"; tries++) {
      state = (await queryProcedure<{ state: string }>(server.url, "jobs.show", { id }, token)).state;
      if (state !== "completed") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe("completed");
  });

  it("shows staff no dead letters link, and the page itself says it is for admins", async () => {
    const page = await signedIn(staff);
    await page.getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("link", { name: "Orders", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "Dead letters" }).count()).toBe(0);
    await page.goto("/staff/dead-letters");
    await page.getByText("Failed background jobs are for administrators.").waitFor();
  });
});
