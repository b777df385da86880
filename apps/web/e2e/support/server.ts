import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createDatabase, seedCatalog } from "@cartwheel/db";
import { testPiiEnv } from "@cartwheel/pii/testing";
import { serverEntry, webDist } from "./paths.ts";

/**
 * The PII keys of every server this test process starts: two servers on one PostgreSQL
 * database are instances of one shop and must share them, and test setup (api.ts) seals and
 * finds accounts with them too.
 */
export const E2E_PII_ENV = testPiiEnv();

export interface TestServer {
  url: string;
  databaseUrl: string;
  /** Recent server output, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/** Fails with a clear message when `npm run build` has not produced what the e2e tests drive. */
function assertBuilt(): void {
  for (const [what, path] of [
    ["web app", join(webDist, "index.html")],
    ["server", serverEntry],
  ] as const) {
    if (!existsSync(path)) throw new Error(`The ${what} is not built (${path} missing): run \`npm run build\` first.`);
  }
}

export interface TestServerOptions {
  /** A PostgreSQL database to share (default: a fresh SQLite file). */
  databaseUrl?: string;
  /** Migrate and seed the demo catalog first (default true; false for a second instance). */
  seed?: boolean;
  /** Extra server environment for one suite (e.g. WEBHOOK_ALLOW_PRIVATE for a loopback receiver). */
  env?: Record<string, string>;
}

/**
 * Starts the real built server (apps/server/dist/index.mjs) on a random port over a database
 * that holds the demo catalog, serving the built web app at /. Two servers on one PostgreSQL
 * database are two instances of one shop.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-e2e-"));
  const databaseUrl = options.databaseUrl ?? `file:${join(dir, "e2e.db")}`;
  if (options.seed ?? true) {
    const database = await createDatabase(databaseUrl, { migrate: true });
    await seedCatalog(database, { now: () => new Date() });
    await database.close();
  }

  const child = spawn(process.execPath, [serverEntry], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "info",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ...E2E_PII_ENV,
      WEB_DIST_DIR: webDist,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  createInterface({ input: child.stderr }).on("line", remember);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${lines.join("\n")}`)), 20_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      remember(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "server listening" && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a JSON log line
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${lines.join("\n")}`));
    });
  });

  return {
    url,
    databaseUrl,
    output: () => lines.join("\n"),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
  await exited;
  clearTimeout(timer);
}
