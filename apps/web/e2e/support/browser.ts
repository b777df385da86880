import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { artifactsDir } from "./paths.ts";

const CHROMIUM_PATH = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export interface Actor {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/**
 * One person at one browser: Debian's Chromium with a fresh profile directory, so cookies
 * and storage are never shared between actors (a customer and staff, or two sessions).
 */
export async function openActor(baseURL: string, viewport = { width: 1280, height: 900 }): Promise<Actor> {
  const userDataDir = mkdtempSync(join(tmpdir(), "cartwheel-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL,
    viewport,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-artifacts/ (best effort: never masks the real failure). */
export async function saveScreenshot(page: Page, name: string): Promise<string | null> {
  try {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  } catch {
    return null;
  }
}
