// At-least-once delivery with an idempotent handler, shown with real processes: a worker is
// SIGKILLed between the job's side effect and its acknowledgement; a second worker takes the
// job again once the claim lapses, and the side effect is still there exactly once.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, JobRegistry } from "../src/index.ts";
import { engineKinds, eventually, openEngine } from "./support.ts";

const fixture = fileURLToPath(new URL("./fixtures/effect-worker.ts", import.meta.url));
const children: ChildProcess[] = [];
const byId = (a: string, b: string) => a.localeCompare(b);

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", fixture], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve) =>
    child.stdout.on("data", (chunk: Buffer) => chunk.includes("ready") && resolve()),
  );
  return { child, exited, ready };
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

describe.each(engineKinds())("a worker killed mid-job on %s", (kind) => {
  it("runs the job again in another worker, with the side effect done once", { timeout: 120_000 }, async () => {
    const open = await openEngine(kind);
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-crash-"));
    const effects = join(dir, "effects.log");
    try {
      const registry = new JobRegistry().add(
        defineJob({
          name: "test.effect",
          schema: z.object({ n: z.number() }),
          retry: { limit: 3, delaySeconds: 1 },
          handler: async () => {},
        }),
      );
      const sender = open.engine(registry);
      await sender.start();
      // The worker sets the queue's policy (a short claim) as it starts; jobs sent after it carry it.
      const env = { JOBS_DATABASE_URL: open.url, EFFECTS_FILE: effects };
      const crashing = startWorker({ ...env, CRASH_AFTER_EFFECT: "1" });
      await Promise.race([crashing.ready, crashing.exited]);
      const jobId = await sender.send("test.effect", { n: 7 });
      expect((await crashing.exited).signal).toBe("SIGKILL");
      expect(readFileSync(effects, "utf8")).toContain(`${jobId} 7 attempt=1`);

      const healthy = startWorker(env);
      const done = await eventually(async () => {
        const job = await sender.show(jobId);
        return job?.state === "completed" && job;
      }, 90_000);
      healthy.child.kill("SIGTERM");
      expect((await healthy.exited).code).toBe(0);

      const lines = readFileSync(effects, "utf8").trim().split("\n");
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^${jobId} 7 attempt=1 `))]);
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      await sender.stop(1_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await open.close();
    }
  });
});

describe.each(engineKinds())("two worker processes on %s", (kind) => {
  it("run every job once between them", { timeout: 120_000 }, async () => {
    const open = await openEngine(kind);
    const dir = mkdtempSync(join(tmpdir(), "cartwheel-two-workers-"));
    const runs = join(dir, "runs.log");
    try {
      const registry = new JobRegistry().add(
        defineJob({ name: "test.effect", schema: z.object({ n: z.number() }), handler: async () => {} }),
      );
      const sender = open.engine(registry);
      await sender.start();
      const env = { JOBS_DATABASE_URL: open.url, EFFECTS_FILE: join(dir, "effects.log"), RUNS_FILE: runs };
      const workers = [startWorker(env), startWorker(env)];
      await Promise.all(workers.map((worker) => worker.ready));
      const ids: string[] = [];
      for (let n = 0; n < 40; n += 1) ids.push(await sender.send("test.effect", { n }));
      await eventually(async () => (await sender.list({ state: "completed", limit: 100 })).items.length === 40, 90_000);
      for (const worker of workers) worker.child.kill("SIGTERM");
      expect((await Promise.all(workers.map((worker) => worker.exited))).map((exit) => exit.code)).toEqual([0, 0]);

      const ran = readFileSync(runs, "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[0] ?? "");
      expect(ran.toSorted(byId)).toEqual(ids.toSorted(byId));
      await sender.stop(1_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await open.close();
    }
  });
});
