// Scenario 4: cold start. Process start → first /ready 200 of the bundled server on SQLite,
// and `cartwheel --help` wall time.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { fullServerEnv, type RunContext, type ScenarioResult } from "../context.ts";
import { median } from "../wrk.ts";
import { cliBin, cliBundle, serverEntry, serverNodeFlags } from "../paths.ts";
import { freePort } from "@cartwheel/db/testing";
import { answers, tail } from "../process.ts";

async function timeToReady(context: RunContext, databaseUrl: string): Promise<number> {
  const port = await freePort();
  const logFile = join(context.workDir, "cold-start.log");
  const started = performance.now();
  const child = spawn(process.execPath, [...serverNodeFlags(), serverEntry], {
    env: { ...fullServerEnv(databaseUrl), PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", openSync(logFile, "a"), openSync(logFile, "a")],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  try {
    for (;;) {
      if (await answers(`http://127.0.0.1:${port}/ready`)) return performance.now() - started;
      if (!alive) throw new Error(`the server exited before /ready:\n${tail(logFile)}`);
      if (performance.now() - started > 20_000) throw new Error(`no /ready 200 within 20 s:\n${tail(logFile)}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

function cliHelpMs(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cliBin, "--help"], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`cartwheel --help exited with ${result.status}: ${result.stderr}`);
  return elapsed;
}

export async function startupScenario(context: RunContext, databaseUrl: string): Promise<ScenarioResult> {
  if (!existsSync(cliBundle)) throw new Error("apps/cli is not built: run `npm run build` first");
  const rounds = context.smoke ? 1 : 7;
  const ready: number[] = [];
  for (let i = 0; i < rounds; i++) ready.push(await timeToReady(context, databaseUrl));
  const help: number[] = [];
  cliHelpMs(); // warm the page cache once, as any second invocation would be
  for (let i = 0; i < rounds * 2; i++) help.push(cliHelpMs());
  const readyMs = median(ready);
  const helpMs = median(help);
  return {
    rows: [
      {
        scenario: "cold start",
        subject: "process start → /ready 200 (SQLite)",
        value: readyMs,
        unit: "ms",
        note: `median of ${rounds}`,
      },
      {
        scenario: "cold start",
        subject: "cartwheel --help",
        value: helpMs,
        unit: "ms",
        note: `median of ${rounds * 2}`,
      },
    ],
    metrics: { "coldStart.readyMs": readyMs, "cli.helpMs": helpMs },
  };
}
