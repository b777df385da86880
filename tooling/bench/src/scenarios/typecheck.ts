// Scenario 5: wall time of `npm run typecheck` for the whole repo. Turbo would replay a
// cached result in milliseconds, so the run passes `--force` (no cache reads) and `--only`
// (only the typecheck tasks: the ^build outputs they read must already exist, which
// `npm run bench` ensures by building first).
import { spawnSync } from "node:child_process";
import type { RunContext, ScenarioResult } from "../context.ts";
import { repoRoot } from "../paths.ts";

export async function typecheckScenario(context: RunContext): Promise<ScenarioResult> {
  // Smoke keeps the path working on one small package; the figure is not the repo's.
  const scope = context.smoke ? ["--filter=@cartwheel/observability"] : [];
  const args = ["run", "typecheck", "--", "--force", "--only", "--output-logs=errors-only", ...scope];
  const started = performance.now();
  const result = spawnSync("npm", args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed:\n${`${result.stdout}\n${result.stderr}`.trim().slice(-3000)}`);
  }
  return {
    rows: [
      {
        scenario: "typecheck",
        subject: `npm ${args.join(" ")}`,
        value: elapsed,
        unit: "ms",
        note: context.smoke ? "smoke: one package only" : "whole repo, no cache",
      },
    ],
    metrics: context.smoke ? {} : { "typecheck.ms": elapsed },
  };
}
