// The job queue on PostgreSQL (pg-boss), two figures:
// 1. Jobs per second of our worker path (src/servers/jobs-worker.ts "ours") against pg-boss's own
//    send/work loop ("bare") with the same settings, same database, each in its own process.
//    A round is count-based: JOBS jobs from the first send to the last handler finished,
//    quoted as jobs/s in the rps column; alternatingRounds' seconds argument is ignored.
// 2. Event → webhook delivery on an idle queue, in the compose stack's shape: an API instance
//    (WORKER=off) and a separate `index.mjs worker` process (mail to an in-process SMTP sink),
//    an admin's endpoint on a loopback node:http receiver; K orders one at a time, from each
//    order's response to the receiver getting its order.created delivery.
// On SQLite only the first: the table engine against its own statements run bare.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { openSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startSmtpReceiver } from "@cartwheel/mail/testing";
import pg from "pg";
import { type Customer, mutate, registerCustomer, signIn } from "../api.ts";
import { type Backend, fullServerEnv, type RunContext, type ScenarioResult, withServers } from "../context.ts";
import { peerScript, serverEntry, serverNodeFlags } from "../paths.ts";
import { spawnServer, tail } from "../process.ts";
import { alternatingRounds, type Subject } from "../rounds.ts";

/**
 * Jobs per round. Small, because both sides drain slowly: at batch size 1 a pg-boss worker slot
 * that has fetched a job waits out the 0.5 s polling interval before fetching again unless a
 * NOTIFY (a new send) wakes it, so once the sends are in, 4 slots take about 8 jobs a second.
 */
const JOBS = 1000;
/** SQLite's rounds would be over in a tenth of a second with as few. */
const SQLITE_JOBS = 2000;
const JOBS_SMOKE = 20;
const WEBHOOK_ORDERS = 50;
const DELIVERY_TIMEOUT_MS = 30_000;

/** A worker process of src/servers/jobs-worker.ts, driven over IPC. */
class JobsWorker {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(name: string, subject: "ours" | "bare", databaseUrl: string): Promise<JobsWorker> {
    const child = fork(peerScript("jobs-worker"), [], {
      execArgv: ["--import", "tsx"],
      env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_URL: databaseUrl, JOBS_SUBJECT: subject },
      stdio: "ignore",
    });
    const worker = new JobsWorker(name, child);
    await worker.ask({}, "ready");
    return worker;
  }

  private ask<T>(message: object, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { type: string; message?: string }) => {
        if (reply.type !== answer && reply.type !== "error") return;
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        if (reply.type === "error") reject(new Error(`${this.name}: ${reply.message}`));
        else resolve(reply as T);
      };
      const onExit = (code: number | null) => reject(new Error(`${this.name} exited with ${code}`));
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
      if (Object.keys(message).length > 0) this.child.send(message);
    });
  }

  subject(jobs: number): Subject {
    return {
      name: this.name,
      run: async () => {
        const { ms } = await this.ask<{ ms: number }>({ type: "run", jobs }, "ran");
        return { rps: jobs / (ms / 1000), requests: jobs };
      },
    };
  }

  async close(): Promise<void> {
    await this.ask({ type: "close" }, "closed").catch(() => {});
  }
}

/** On SQLite the bare loop gets a file of its own (`bareDatabaseUrl`), as each pg-boss side gets a schema. */
async function throughput(context: RunContext, backend: Backend, bareDatabaseUrl = backend.databaseUrl) {
  const jobs = context.smoke ? JOBS_SMOKE : backend.key === "pg" ? JOBS : SQLITE_JOBS;
  const [oursName, bareName] =
    backend.key === "pg"
      ? ["@cartwheel/jobs worker (pg-boss engine)", "pg-boss send/work, bare"]
      : ["@cartwheel/jobs worker (table engine)", "better-sqlite3 insert/claim/complete, bare"];
  const ours = await JobsWorker.start(oursName, "ours", backend.databaseUrl);
  const bare = await JobsWorker.start(bareName, "bare", bareDatabaseUrl).catch(async (error: unknown) => {
    await ours.close();
    throw error;
  });
  try {
    const [full, peer] = await alternatingRounds([ours.subject(jobs), bare.subject(jobs)], context);
    return { full: full!, peer: peer!, jobs };
  } finally {
    await Promise.all([ours.close(), bare.close()]);
  }
}

/** A webhook receiver that notes when each order's order.created delivery arrived. */
async function startHookReceiver() {
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      res.writeHead(204).end();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { type: string; data: { orderId?: string } };
      const orderId = body.data.orderId;
      if (body.type !== "order.created" || !orderId || !req.headers["webhook-signature"]) return;
      arrived.set(orderId, at);
      waiters.get(orderId)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    /** When `orderId`'s delivery arrived (performance.now()), waiting for it if need be. */
    async arrival(orderId: string): Promise<number> {
      if (!arrived.has(orderId)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no webhook for order ${orderId}`)), DELIVERY_TIMEOUT_MS);
          waiters.set(orderId, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return arrived.get(orderId)!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function makeAdmin(databaseUrl: string, url: string, account: Customer): Promise<Customer> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("update users set role = 'admin' where id = $1", [account.userId]);
  } finally {
    await client.end();
  }
  return signIn(url, account.email, account.password);
}

async function webhookLatency(context: RunContext, backend: Backend, hotProductId: string) {
  const smtp = await startSmtpReceiver();
  const receiver = await startHookReceiver();
  // One environment for both processes (the same AUTH_SECRET, as a deployment shares it).
  const env = {
    ...fullServerEnv(backend.databaseUrl, backend.redisUrl),
    SMTP_URL: smtp.url,
    WEBHOOK_ALLOW_PRIVATE: "1",
  };
  const workerLog = join(context.workDir, "jobs-webhook-worker.log");
  const worker = spawn(process.execPath, [...serverNodeFlags(), serverEntry, "worker"], {
    env,
    stdio: ["ignore", openSync(workerLog, "a"), openSync(workerLog, "a")],
  });
  const workerExited = new Promise((resolve) => worker.once("exit", resolve));
  try {
    const api = await spawnServer({
      name: "jobs webhook api",
      args: [...serverNodeFlags(), serverEntry],
      env,
      workDir: context.workDir,
      readyPath: "/ready",
    });
    return await withServers([api], async () => {
      const admin = await makeAdmin(backend.databaseUrl, api.url, await registerCustomer(api.url));
      const customer = await registerCustomer(api.url);
      const adminAuth = { Authorization: `Bearer ${admin.accessToken}` };
      await mutate(api.url, "webhooks.create", { url: receiver.url, eventTypes: ["order.created"] }, adminAuth);
      const place = () =>
        mutate<{ id: string }>(
          api.url,
          "orders.place",
          { items: [{ productId: hotProductId, quantity: 1 }], idempotencyKey: randomUUID() },
          { Authorization: `Bearer ${customer.accessToken}` },
        );
      // Unmeasured: the first delivery also waits for the worker to have started.
      await receiver.arrival((await place()).id).catch((error: unknown) => {
        throw new Error(`${String(error)}\nworker log:\n${tail(workerLog)}`, { cause: error });
      });
      const samples: number[] = [];
      for (let i = 0; i < (context.smoke ? 2 : WEBHOOK_ORDERS); i++) {
        const order = await place();
        const answered = performance.now();
        samples.push((await receiver.arrival(order.id)) - answered);
      }
      return { samples, apiRss: api.peakRss() };
    });
  } finally {
    worker.kill("SIGTERM");
    await workerExited;
    await receiver.close();
    await smtp.close();
  }
}

/** The nearest-rank percentile of `values` (sorted here). */
function percentile(values: number[], q: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** SQLite: the table engine against its statements run bare; no webhook figure (cut so far). */
export async function sqliteJobsScenario(
  context: RunContext,
  backend: Backend,
  bareDatabaseUrl: string,
): Promise<ScenarioResult> {
  const { full, peer, jobs } = await throughput(context, backend, bareDatabaseUrl);
  const ratio = full.rps / peer.rps;
  const note = `${jobs} no-op jobs per round, send → last handler done; jobs/s in the rps column`;
  return {
    rows: [
      { scenario: `${backend.key} jobs throughput`, subject: full.name, rps: full.rps, note },
      { scenario: `${backend.key} jobs throughput`, subject: peer.name, rps: peer.rps, ratio },
    ],
    metrics: { [`${backend.key}.jobs.ratio.bareSql`]: ratio },
  };
}

export async function jobsScenario(
  context: RunContext,
  backend: Backend,
  hotProductId: string,
): Promise<ScenarioResult> {
  const { full, peer, jobs } = await throughput(context, backend);
  const ratio = full.rps / peer.rps;
  const { samples } = await webhookLatency(context, backend, hotProductId);
  const p50 = percentile(samples, 0.5);
  const p99 = percentile(samples, 0.99);
  const note = `${jobs} no-op jobs per round, send → last handler done; jobs/s in the rps column`;
  return {
    rows: [
      { scenario: `${backend.key} jobs throughput`, subject: full.name, rps: full.rps, note },
      { scenario: `${backend.key} jobs throughput`, subject: peer.name, rps: peer.rps, ratio },
      {
        scenario: `${backend.key} webhook delivery`,
        subject: "order response → receiver got order.created",
        p50Ms: p50,
        p99Ms: p99,
        note: `${samples.length} orders one at a time, idle queue; API (WORKER=off) + index.mjs worker`,
      },
    ],
    metrics: {
      [`${backend.key}.jobs.ratio.barePgBoss`]: ratio,
      [`${backend.key}.webhook.p50Ms`]: p50,
      [`${backend.key}.webhook.p99Ms`]: p99,
    },
  };
}
