// One side of the jobs-per-second comparison, in a process of its own so that neither worker
// shares a core with the harness or with the other. JOBS_SUBJECT picks the side:
//   ours: a no-op job through @cartwheel/jobs as the server's worker runs it (createJobEngine on
//         PostgreSQL: the pg-boss engine with our registry, queue retry policy, payload schema
//         parse, observer, and the outbox relay's poll running alongside);
//   bare: pg-boss used directly, its own send/work on one queue, with the settings our engine
//         gives pg-boss (pool of 4, LISTEN/NOTIFY, 4 workers fetching 5 at a time with burst, same polling;
//         settled per batch, where ours settles each job alone).
// On SQLite (a file: DATABASE_URL) ours is the table engine and bare is better-sqlite3 running
// the table engine's statements by hand: insert, claim (select the next due job, mark it active),
// complete. Synchronous, so one at a time: the driver has no concurrency to give.
// Driven over IPC: { type: "run", jobs } → { type: "ran", ms } (first send → last handler
// finished), { type: "close" } → { type: "closed" }, then the process exits.
import { randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { createDatabase } from "@cartwheel/db";
import { createJobEngine, defineJob, JobRegistry } from "@cartwheel/jobs";
import { PgBoss } from "pg-boss";
import { z } from "zod";
import { sqlitePath } from "./shared-http.ts";

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
    postgresUrl: database.dialect === "postgres" ? databaseUrl : undefined,
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
    {
      batchSize: 5,
      burstWhenBatchFull: true,
      localConcurrency: 4,
      pollingIntervalSeconds: 0.5,
      notifyPollingIntervalSeconds: 1,
    },
    async (jobs) => {
      for (const _ of jobs) handled();
    },
  );
  return {
    send: (n) => boss.send(QUEUE, { n }),
    stop: () => boss.stop({ graceful: true, timeout: 5000, close: true }),
  };
}

function bareSqlite(): Side {
  const connection = new BetterSqlite3(sqlitePath(databaseUrl));
  // open-sqlite.ts's pragmas that bear on writes.
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("wal_autocheckpoint = 10000");
  // The table engine's row for a job with the default retry policy (5, 2 s, exponential).
  const insert = connection.prepare(
    `insert into jobs (id, name, payload, state, attempts, retry_limit, retry_delay_seconds, retry_backoff, start_after, created_at)
     values (?, ?, ?, 'created', 0, 5, 2, 1, ?, ?)`,
  );
  const due = `((state in ('created', 'retry') and start_after <= @at) or (state = 'active' and locked_until < @at))`;
  const next = connection.prepare(`select id from jobs where ${due} order by start_after limit 1`);
  const take = connection.prepare(
    `update jobs set state = 'active', attempts = attempts + 1, locked_until = @until where id = @id and ${due}
     returning id, attempts, payload`,
  );
  const complete = connection.prepare(
    `update jobs set state = 'completed', completed_at = ?, locked_until = null where id = ? and state = 'active' and attempts = ?`,
  );
  const claim = connection.transaction((at: number) => {
    const row = next.get({ at }) as { id: string } | undefined;
    return (
      row && (take.get({ at, id: row.id, until: at + 300_000 }) as { id: string; attempts: number; payload: string })
    );
  });
  return {
    async send(n) {
      const at = Date.now();
      insert.run(randomUUID(), QUEUE, JSON.stringify({ n }), at, at);
      // Drain once the last send is in, as the engine's next tick would.
      if (n === target - 1) {
        for (let job = claim(Date.now()); job; job = claim(Date.now())) {
          JSON.parse(job.payload);
          complete.run(Date.now(), job.id, job.attempts);
          handled();
        }
      }
    },
    async stop() {
      connection.close();
    },
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

const onSqlite = databaseUrl.startsWith("file:");
const side = process.env.JOBS_SUBJECT !== "bare" ? await ours() : onSqlite ? bareSqlite() : await bare();
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
