import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createStaff, type Credentials } from "./api.ts";
import { hasChromium, openActor, saveScreenshot, type Actor } from "./browser.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.ts";

export interface ShopSuite {
  /** The suite's server, started before its first test. */
  readonly server: TestServer;
  /** A browser for one person (screenshotted if the test fails, closed after the suite). */
  open(name: string, viewport?: { width: number; height: number }, url?: string): Promise<Page>;
}

/**
 * What every Chromium suite over one shop sets up, called inside its describe(): the built
 * server over the demo catalog with `staff` as a staff account, and browsers that are
 * screenshotted (with the server's last output) when their test fails and closed after.
 */
export function shopSuite(staff: Credentials, options: TestServerOptions = {}): ShopSuite {
  let server: TestServer | undefined;
  const opened: Actor[] = [];
  let inThisTest: Array<{ name: string; page: Page }> = [];

  beforeEach(({ onTestFailed }) => {
    inThisTest = [];
    onTestFailed(async ({ task }) => {
      for (const { name, page } of inThisTest) {
        const path = await saveScreenshot(page, `${task.name}-${name}`);
        console.error(`e2e failure screenshot (${name}, at ${page.url()}): ${path}`);
      }
      console.error(`--- server output (tail) ---\n${server?.output().slice(-3000)}`);
    });
  });

  beforeAll(async () => {
    if (!hasChromium()) throw new Error("Chromium is missing at /usr/bin/chromium: apt-get install -y chromium");
    server = await startTestServer(options);
    await createStaff(server.url, server.databaseUrl, staff);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(opened.map((actor) => actor.close()));
    await server?.stop();
  });

  return {
    get server() {
      if (!server) throw new Error("the suite's server starts in beforeAll");
      return server;
    },
    async open(name, viewport, url) {
      const actor = await openActor(url ?? this.server.url, viewport);
      opened.push(actor);
      inThisTest.push({ name, page: actor.page });
      return actor.page;
    },
  };
}
