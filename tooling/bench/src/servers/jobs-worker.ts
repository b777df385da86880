// One side of the jobs-per-second comparison, in a process of its own so that neither worker
// shares a core with the harness or with the other. JOBS_SUBJECT picks the side:
//   ours: a no-op job through @cartwheel/jobs as the server's worker runs it (createJobEngine on
//         PostgreSQL: the pg-boss engine with our registry, queue retry policy, payload schema
//         parse, observer, and the outbox relay's poll running alongside);
//   bare: pg-boss used directly, its own send/work on one queue, with the settings our engine
//         gives pg-boss (pool of 4, LISTEN/NOTIFY, batch 1, 4 at a time, same polling).
// Driven over IPC: { type: "run", jobs } → { type: "ran", ms } (first send → last handler
// finished), { type: "close" } → { type: "closed" }, then the process exits.
import { createDatabase } from "@cartwheel/db";
import { createJobEngine, defineJob, JobRegistry } from "@cartwheel/jobs";
import { PgBoss } from "pg-boss";
import { z } from "zod";

type Command = { type: "run"; jobs: number } | { type: "close" };

const databaseUrl = process.env.DATABASE_URL!;
/** Sends in flight at once: a producer that does not wait on each round trip, alike for both sides. */
const SENDS_IN_FLIGHT = 10;
const QUEUE = "bench.noop";

let finished = 0;
let target = 0;
let allDone: (() => void) | undefined;
const handled = () => {
  finished += 1;
  if (finished === target) allDone?.();
};

interface Side {
  send(n: number): Promise<unknown>;
  stop(): Promise<void>;
}

async function ours(): Promise<Side> {
  const database = await createDatabase(databaseUrl);
  const registry = new JobRegistry().add(
    defineJob({ name: QUEUE, schema: z.object({ n: z.number().int() }), handler: async () => {} }),
  );
  // The server's observer feeds a histogram; counting here costs no more.
  const engine = createJobEngine(database, {
    registry,
    postgresUrl: databaseUrl,
    observer: { onRun: (_name, outcome) => outcome === "completed" && handled() },
  });
  await engine.start();
  await engine.work();
  return {
    send: (n) => engine.send(QUEUE, { n }),
    async stop() {
      await engine.stop(5000);
      await database.close();
    },
  };
}

async function bare(): Promise<Side> {
  // A schema of its own, so each side's job table grows only with its own rounds.
  const boss = new PgBoss({ connectionString: databaseUrl, schema: "pgboss_bare", max: 4, useListenNotify: true });
  boss.on("error", (error) => process.stderr.write(`${String(error)}\n`));
  await boss.start();
  if (!(await boss.getQueue(QUEUE))) await boss.createQueue(QUEUE, { notify: true });
  await boss.work(
    QUEUE,
    { batchSize: 1, localConcurrency: 4, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 1 },
    async ([job]) => {
      if (job) handled();
    },
  );
  return {
    send: (n) => boss.send(QUEUE, { n }),
    stop: () => boss.stop({ graceful: true, timeout: 5000, close: true }),
  };
}

async function run(side: Side, jobs: number): Promise<number> {
  finished = 0;
  target = jobs;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDS_IN_FLIGHT }, async () => {
      while (next < jobs) await side.send(next++);
    }),
  );
  await done;
  return performance.now() - started;
}

const side = process.env.JOBS_SUBJECT === "bare" ? await bare() : await ours();
process.send!({ type: "ready" });
process.on("message", (command: Command) => {
  const reply = async () => {
    if (command.type === "run") return { type: "ran", ms: await run(side, command.jobs) };
    await side.stop();
    return { type: "closed" };
  };
  reply()
    .then((message) => {
      process.send!(message);
      if (message.type === "closed") process.disconnect();
    })
    .catch((error: unknown) => process.send!({ type: "error", message: String(error) }));
});
