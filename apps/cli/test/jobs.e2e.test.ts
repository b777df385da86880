// `cartwheel jobs` against the built server on a fresh SQLite file: the dead letter listed as a
// table and as JSON, one job shown, a failed job redriven until the server's worker completes
// it, and the errors a user sees for an unknown job and a non-admin. The failed job is written
// into the jobs table the way the engine leaves one that used up its retries (a real failure
// takes minutes of backoff; the router tests make handlers fail on both engines).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@cartwheel/db";
import { insertDeadLetteredJob } from "@cartwheel/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartwheel, type CliResult, ensureBuilt, type RunningServer, startServer } from "./harness.ts";

const PASSWORD = "correct horse battery staple 42";

let dir = "";
let databaseUrl = "";
let server: RunningServer;
const envs: Record<"admin" | "staff", Record<string, string>> = { admin: {}, staff: {} };
const run = (who: "admin" | "staff", args: string[], input = ""): Promise<CliResult> =>
  cartwheel(args, { env: envs[who], input });

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "cartwheel-cli-jobs-"));
  databaseUrl = `file:${join(dir, "cartwheel.db")}`;
  for (const role of ["admin", "staff"] as const) {
    envs[role] = { XDG_CONFIG_HOME: join(dir, `config-${role}`) };
    const args = ["users", "create", "--email", `${role}@example.test`, "--role", role, "--password-stdin"];
    const created = await run(role, [...args, "--database-url", databaseUrl], `${PASSWORD}\n`);
    if (created.code !== 0) throw new Error(`creating the ${role} failed: ${created.stderr}`);
  }
  server = await startServer({ DATABASE_URL: databaseUrl }, dir);
  for (const role of ["admin", "staff"] as const) {
    envs[role] = { ...envs[role], CARTWHEEL_URL: server.url };
    const login = await run(role, ["login", "--email", `${role}@example.test`, "--password-stdin"], `${PASSWORD}\n`);
    if (login.code !== 0) throw new Error(`logging in as ${role} failed: ${login.stderr}`);
  }
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cartwheel jobs", () => {
  it("lists the dead letter, shows a job, retries it, and the worker completes it", async () => {
    const id = await insertDeadLetteredJob(databaseUrl);

    const table = await run("admin", ["jobs", "list"]);
    expect(table.code).toBe(0);
    const [header, ...lines] = table.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+STATE\s+ATTEMPTS\s+CREATED\s+ERROR$/);
    const line = lines.find((row) => row.startsWith(id));
    expect(line).toMatch(/credentials\.purge\s+failed\s+1\/1 .*Error: database is locked$/);

    const json = await run("admin", ["jobs", "list", "--state", "failed", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id, name: "credentials.purge" })]);

    const shown = await run("admin", ["jobs", "show", id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id\\s+${id}$`, "m"));
    expect(shown.stdout).toMatch(/^attempts\s+1 of 1$/m);
    expect(shown.stdout).toMatch(/^payload\s+\{\}$/m);

    const retried = await run("admin", ["jobs", "retry", id]);
    expect([retried.code, retried.stderr]).toEqual([0, `Job ${id} is queued again.\n`]);
    let state = "";
    for (let tries = 0; tries < 200 && state !== "completed"; tries++) {
      state = (JSON.parse((await run("admin", ["jobs", "show", id, "--json"])).stdout) as { state: string }).state;
      if (state !== "completed") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe("completed");
    const empty = await run("admin", ["jobs", "list"]);
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, "", "No failed jobs.\n"]);
  });

  it("says NOT_FOUND for a job that is not in the dead letter, exit 1", async () => {
    const result = await run("admin", ["jobs", "retry", newId()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: NOT_FOUND: No failed job with this id\.$/m);
  });

  it("refuses staff with FORBIDDEN", async () => {
    const result = await run("staff", ["jobs", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: FORBIDDEN: /);
  });
});
