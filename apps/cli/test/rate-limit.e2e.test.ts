// Bulk commands against a real server whose per-user limit is far below what they need:
// they wait out each 429's Retry-After, say so on stderr, and finish with clean --json.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, type CliResult, ensureBuilt, productCsv, type RunningServer, startServer } from "./harness.ts";

const ADMIN_EMAIL = "bulk-admin@example.test";
const ADMIN_PASSWORD = "correct horse battery staple 42";
const USER_LIMIT = 5; // calls a minute; an export of 600+ products needs 7 pages
const ROWS = 600;
const WAITED = /^Rate limited by the server \(5 calls a minute\); continuing in \d+ s…$/m;

let dir = "";
let server: RunningServer;
let env: Record<string, string> = {};
const run = (args: string[], input = ""): Promise<CliResult> => cartwheel(args, { env, input });

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-limits-"));
  const databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  env = { XDG_CONFIG_HOME: join(dir, "config") };
  const created = await cartwheel(
    ["users", "create", "--email", ADMIN_EMAIL, "--role", "admin", "--password-stdin", "--database-url", databaseUrl],
    { env, input: `${ADMIN_PASSWORD}\n` },
  );
  if (created.code !== 0) throw new Error(`bootstrapping the admin failed: ${created.stderr}`);
  server = await startServer(
    { DATABASE_URL: databaseUrl, RATE_LIMIT_USER_PER_MIN: String(USER_LIMIT), RATE_LIMIT_IP_PER_MIN: "1000" },
    dir,
  );
  env = { ...env, CARTWHEEL_URL: server.url };
  const login = await run(["login", "--email", ADMIN_EMAIL, "--password-stdin"], `${ADMIN_PASSWORD}\n`);
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each wait lasts until the server's one-minute window ends: allow for two of them.
describe("bulk commands under a low rate limit", { timeout: 300_000 }, () => {
  it("export and re-import more products than the limit allows calls for", async () => {
    const file = join(dir, "products.csv");
    writeFileSync(file, productCsv(ROWS, { prefix: "bulk" }));
    const imported = await run(["products", "import", file, "--json"]);
    expect({ code: imported.code, stderr: imported.stderr }).toMatchObject({ code: 0 });
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: ROWS, failed: [] });

    const exported = join(dir, "export.csv");
    const exportRun = await run(["products", "export", "--format", "csv", "--output", exported]);
    expect(exportRun.stderr).toMatch(WAITED);
    expect({ code: exportRun.code, stderr: exportRun.stderr }).toMatchObject({ code: 0 });
    const reimport = await run(["products", "import", exported, "--json"]);
    expect(reimport.stderr).toMatch(WAITED);
    expect({ code: reimport.code, stderr: reimport.stderr }).toMatchObject({ code: 0 });
    // stdout is the JSON report alone; the waits went to stderr.
    const report = JSON.parse(reimport.stdout) as { rows: number; unchanged: number };
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: report.rows, failed: [] });
    // The export held more pages of 100 than the limit allows calls a minute.
    expect(report.rows).toBeGreaterThan(USER_LIMIT * 100);
    expect(readFileSync(exported, "utf8")).toContain("bulk-product-0600");
  });
});
