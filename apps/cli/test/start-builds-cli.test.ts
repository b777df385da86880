// `npm install && npm start` must leave a working `npx cartwheel`: the build step of the
// start script includes the CLI and what it bundles. turbo's dry run reports the tasks that
// exact command would run, without building anything.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./harness.ts";

function startBuildArgs(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: { start: string } };
  const step = manifest.scripts.start.split("&&").find((part) => part.trim().startsWith("turbo run build"));
  if (!step) throw new Error(`the start script has no turbo build step: ${manifest.scripts.start}`);
  return step.trim().split(/\s+/).slice(1);
}

describe("npm start", () => {
  it("builds the CLI and the client it bundles", { timeout: 60_000 }, () => {
    const args = [...startBuildArgs().filter((arg) => !arg.startsWith("--output-logs")), "--dry=json"];
    const output = execFileSync(join(repoRoot, "node_modules/.bin/turbo"), args, { cwd: repoRoot, encoding: "utf8" });
    const tasks = (JSON.parse(output) as { tasks: Array<{ taskId: string }> }).tasks.map((task) => task.taskId);
    expect(tasks).toEqual(expect.arrayContaining(["@cartwheel/cli#build", "@cartwheel/client#build"]));
  });
});
