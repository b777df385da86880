// The PostgreSQL job engine: pg-boss (decision 013). Each job is a pg-boss queue with the job's
// retry policy (retryLimit, retryDelay, retryBackoff); a job that uses up its retries is `failed`,
// which is the dead letter the admin lists and retries. Cron runs on pg-boss's schedule, which
// fires once per slot however many instances run. The outbox relay takes unpublished rows with
// FOR UPDATE SKIP LOCKED and sends their jobs with pg-boss's `db` option on the same connection,
// so the jobs and the `published_at` stamp commit together, and two relays never take one row.
import { type JobResult, PgBoss } from "pg-boss";
import pg from "pg";
import type { JobDetail, JobSummary, QueueStats } from "./define-job.ts";
import { decodeCursor, encodeCursor, type JobEngine, type JobObserver, type ListJobsQuery } from "./engine.ts";
import type { JobRegistry } from "./registry.ts";
import { errorText, runJob } from "./run-job.ts";
import { withTraceContext } from "./trace-context.ts";

export interface PgBossEngineOptions {
  connectionString: string;
  label: string;
  registry: JobRegistry;
  observer?: JobObserver;
  /** Workers per job name in this process; each runs up to WORK_BATCH jobs at once. */
  concurrency?: number;
  relayPollMs?: number;
  /** Completed jobs are deleted by pg-boss's maintenance after this many days. */
  retentionDays?: number;
  /** Seconds a job may stay active before pg-boss retries it (its worker presumably died). */
  expireSeconds?: number;
  ssl?: pg.PoolConfig["ssl"];
  /** Seconds between pg-boss's checks for expired active jobs (tests shorten it). */
  monitorSeconds?: number;
}

const RELAY_BATCH = 100;
/**
 * Jobs a worker fetches at once. With one, each worker waits out pg-boss's 0.5 s poll between
 * jobs once the sends that woke it stop, so a backlog drains at about 8 jobs/s per name; a full
 * batch makes pg-boss fetch again at once (burstWhenBatchFull) until the backlog is gone.
 */
const WORK_BATCH = 5;
const SCHEMA = "pgboss";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, name, state, retry_count, retry_limit, created_on, start_after, completed_on, output`;

type JobRow = {
  id: string;
  name: string;
  state: JobSummary["state"];
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  start_after: Date;
  completed_on: Date | null;
  output: { message?: unknown; name?: unknown } | null;
  data?: unknown;
};

function toSummary(row: JobRow): JobSummary {
  const failed = row.state === "failed" || row.state === "retry";
  const message = failed && row.output && typeof row.output.message === "string" ? row.output.message : null;
  return {
    id: row.id,
    name: row.name,
    state: row.state,
    attempts: row.state === "created" ? row.retry_count : row.retry_count + 1,
    retryLimit: row.retry_limit,
    createdAt: row.created_on,
    startAfter: row.start_after,
    completedAt: row.completed_on,
    lastError: message === null ? null : errorText(new Error(message)).replace(/^Error: /, ""),
  };
}

export function createPgBossEngine(options: PgBossEngineOptions): JobEngine & { relayOnce(): Promise<number> } {
  const { registry, observer } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    ssl: options.ssl,
    schema: SCHEMA,
    application_name: "cartwheel-jobs",
    useListenNotify: true,
    max: 4,
    ...(options.monitorSeconds
      ? { monitorIntervalSeconds: options.monitorSeconds, superviseIntervalSeconds: options.monitorSeconds }
      : {}),
  });
  boss.on("error", (error) => observer?.onError?.(error));
  const pool = new pg.Pool({ connectionString: options.connectionString, ssl: options.ssl, max: 2 });
  pool.on("error", (error) => observer?.onError?.(error));
  const query = async <R>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as R[];
  let relayTimer: NodeJS.Timeout | undefined;
  let relaying: Promise<unknown> | undefined;

  async function relayOnce(): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      const { rows } = await client.query<{
        id: string;
        type: string;
        payload: unknown;
        occurred_at: Date;
        trace_context: string | null;
      }>(
        `select id, type, payload, occurred_at, trace_context from outbox_events where published_at is null
         order by occurred_at, id limit ${RELAY_BATCH} for update skip locked`,
      );
      const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
      for (const row of rows) {
        const event = { id: row.id, type: row.type, payload: row.payload, occurredAt: row.occurred_at };
        for (const route of registry.routes.get(row.type) ?? []) {
          const payload = withTraceContext(route.payload(event as never), row.trace_context);
          await boss.send(route.job, payload as object, { db });
        }
      }
      if (rows.length > 0) {
        await client.query("update outbox_events set published_at = now() where id = any($1::uuid[])", [
          rows.map((row) => row.id),
        ]);
      }
      await client.query("commit");
      return rows.length;
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function relayLoop() {
    try {
      while ((await relayOnce()) === RELAY_BATCH) {
        // a full batch: more are waiting
      }
    } catch (error) {
      observer?.onError?.(error);
    }
  }

  return {
    kind: "pg-boss",
    label: `pg-boss on ${options.label}`,
    relayOnce,
    async start() {
      registry.validate();
      await boss.start();
      for (const job of registry.jobs.values()) {
        const queue = {
          retryLimit: job.retry.limit,
          retryDelay: job.retry.delaySeconds,
          retryBackoff: job.retry.backoff === "exponential",
          deleteAfterSeconds: (options.retentionDays ?? 14) * 86_400,
          expireInSeconds: options.expireSeconds ?? 300,
        };
        if (await boss.getQueue(job.name)) await boss.updateQueue(job.name, queue);
        else await boss.createQueue(job.name, { ...queue, notify: true });
      }
      for (const schedule of registry.schedules) {
        await boss.schedule(schedule.job, schedule.cron, schedule.payload as object, { tz: "UTC" });
      }
    },
    async send(name, payload, sendOptions = {}) {
      if (sendOptions.tx) throw new Error("pg-boss jobs are sent through the outbox, not a Db transaction");
      registry.get(name).schema.parse(payload);
      const id = await boss.send(name, (payload as object | null) ?? {}, { startAfter: sendOptions.startAfter });
      return id ?? "";
    },
    async work() {
      for (const job of registry.jobs.values()) {
        await boss.work(
          job.name,
          {
            batchSize: WORK_BATCH,
            burstWhenBatchFull: true,
            // Each job of a batch settles alone: one failure retries that job, not its batch-mates.
            perJobResults: true,
            localConcurrency: options.concurrency ?? 4,
            pollingIntervalSeconds: 0.5,
            notifyPollingIntervalSeconds: 1,
          },
          (claimed) =>
            Promise.all(
              claimed.map(async (one): Promise<JobResult> => {
                const context = { jobId: one.id, attempt: one.retryCount + 1, signal: one.signal };
                try {
                  await runJob(job, one.data, context, observer);
                  return { id: one.id, status: "completed" };
                } catch (error) {
                  // The message only (as list and show read it back), never a stack.
                  const failure = error instanceof Error ? error : new Error(String(error));
                  return { id: one.id, status: "failed", output: { name: failure.name, message: failure.message } };
                }
              }),
            ),
        );
      }
      relayTimer = setInterval(() => {
        relaying ??= relayLoop().finally(() => (relaying = undefined));
      }, options.relayPollMs ?? 100);
    },
    async list(listQuery: ListJobsQuery) {
      const after = decodeCursor(listQuery.cursor);
      // Cursors hold milliseconds and created_on microseconds: pages are ordered and cut on the
      // millisecond, or a job created in the same millisecond as a page's last would be skipped.
      const rows = await query<JobRow>(
        `select ${COLUMNS} from ${SCHEMA}.job where state = $1::${SCHEMA}.job_state
         ${after ? "and (date_trunc('milliseconds', created_on), id) < ($3, $4::uuid)" : ""}
         order by date_trunc('milliseconds', created_on) desc, id desc limit $2`,
        after
          ? [listQuery.state, listQuery.limit + 1, after.createdAt, after.id]
          : [listQuery.state, listQuery.limit + 1],
      );
      const items = rows.slice(0, listQuery.limit).map(toSummary);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > listQuery.limit && last ? encodeCursor(last) : null };
    },
    async show(id): Promise<JobDetail | null> {
      if (!UUID.test(id)) return null;
      const [row] = await query<JobRow>(`select ${COLUMNS}, data from ${SCHEMA}.job where id = $1`, [id]);
      return row ? { ...toSummary(row), payload: row.data } : null;
    },
    async retry(id) {
      const job = await this.show(id);
      if (!job || job.state !== "failed") return false;
      const result = await boss.retry(job.name, id);
      return (result as { affected?: number }).affected !== 0;
    },
    async stats(): Promise<QueueStats[]> {
      // Counted here rather than from getQueues(), whose counts are refreshed only by maintenance.
      const names = [...registry.jobs.keys()];
      const rows = await query<{ name: string; state: string; jobs: number; age: number | null }>(
        `select name, state::text as state, count(*)::int as jobs,
                extract(epoch from now() - min(created_on))::float8 as age
         from ${SCHEMA}.job where name = any($1) and state in ('created', 'retry', 'active', 'failed')
         group by name, state`,
        [names],
      );
      const byName = new Map(
        names.map((name) => [name, { name, queued: 0, active: 0, failed: 0, oldestAgeSeconds: 0 }]),
      );
      for (const row of rows) {
        const stats = byName.get(row.name);
        if (!stats) continue;
        if (row.state === "active") stats.active += row.jobs;
        else if (row.state === "failed") stats.failed += row.jobs;
        else {
          stats.queued += row.jobs;
          stats.oldestAgeSeconds = Math.max(stats.oldestAgeSeconds, row.age ?? 0);
        }
      }
      return [...byName.values()];
    },
    async ping() {
      await pool.query("select 1");
    },
    async stop(graceMs = 30_000) {
      clearInterval(relayTimer);
      await relaying;
      await boss.stop({ graceful: true, timeout: graceMs, close: true });
      await pool.end();
    },
  };
}
