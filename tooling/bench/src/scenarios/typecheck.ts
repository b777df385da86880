// Scenario 5: wall time of `npm run typecheck` for the whole repo, cold (`--force`: tsc -b
// ignores its incremental state and checks every file again), and the editor's latency: tsgo's
// language server completing a router call in the web app (src/editor-latency.ts).
import { spawnSync } from "node:child_process";
import type { RunContext, ScenarioResult } from "../context.ts";
import { measureEditorLatency } from "../editor-latency.ts";
import { repoRoot } from "../paths.ts";

export async function typecheckScenario(context: RunContext): Promise<ScenarioResult> {
  // Smoke keeps the path working with the incremental state (CI has just type-checked).
  const args = ["run", "typecheck", ...(context.smoke ? [] : ["--", "--force"])];
  const started = performance.now();
  const result = spawnSync("npm", args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed:\n${`${result.stdout}\n${result.stderr}`.trim().slice(-3000)}`);
  }
  const editor = await measureEditorLatency();
  return {
    rows: [
      {
        scenario: "typecheck",
        subject: `npm ${args.join(" ")}`,
        value: elapsed,
        unit: "ms",
        note: context.smoke ? "smoke: incremental" : "whole repo, cold",
      },
      {
        scenario: "editor",
        subject: "first completion after trpc.orders.",
        value: editor.firstCompletionMs,
        unit: "ms",
      },
      { scenario: "editor", subject: "warm completion (median)", value: editor.warmCompletionMs, unit: "ms" },
    ],
    metrics: {
      ...(context.smoke ? {} : { "typecheck.ms": elapsed }),
      "editor.firstCompletionMs": editor.firstCompletionMs,
      "editor.warmCompletionMs": editor.warmCompletionMs,
    },
  };
}
