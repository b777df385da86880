// Keeps the harness working: `npm run bench -- --smoke` runs every scenario once, end to
// end, against the built server. No figure is asserted (timings belong to `npm run bench`).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, test } from "vitest";
import { benchDir } from "../src/paths.ts";

const outDir = mkdtempSync(join(tmpdir(), "cartwheel-bench-smoke-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface Report {
  failures: string[];
  rows: { scenario: string }[];
}

test("the smoke bench runs every scenario without crashing and writes its report", async () => {
  const out = join(outDir, "smoke.json");
  const run = promisify(execFile)(process.execPath, ["--import", "tsx", "src/main.ts", "--smoke", `--out=${out}`], {
    cwd: benchDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  await expect(run).resolves.toMatchObject({ stdout: expect.stringContaining("## Cartwheel bench: smoke") });
  const report = JSON.parse(readFileSync(out, "utf8")) as Report;
  expect(report.failures).toEqual([]);
  expect(new Set(report.rows.map((row) => row.scenario))).toEqual(
    new Set([
      "pg catalog.list",
      "pg orders.place hot",
      "pg orders.place spread",
      "sqlite catalog.list",
      "sqlite orders.place",
      "auth.login",
      "cold start",
      "typecheck",
      "editor",
      "web",
      "soak",
      "pg tracing catalog.list",
      "pg tracing orders.place",
      "pg live fan-out",
      "pg live orders.place",
      "pg jobs throughput",
      "pg webhook delivery",
      "sqlite jobs throughput",
    ]),
  );
});
