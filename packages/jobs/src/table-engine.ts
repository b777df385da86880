// The in-process job engine over the `jobs` table, for SQLite (`npm start` needs nothing else).
// Same semantics as pg-boss: a claim is an update guarded by the job's state (SQLite serialises
// writers, so two workers never claim one job), retries back off exponentially up to the job's
// limit, then the job is `failed` (the dead letter) until an admin retries it. A claim lapses
// after `claimSeconds`, so a job whose worker died runs again: delivery is at least once.
import type { Database, Db } from "@cartwheel/db";
import { newId } from "@cartwheel/db";
import { Cron } from "croner";
import { and, asc, count, desc, eq, inArray, isNull, lt, lte, min, or, sql } from "drizzle-orm";
import { retryDelaySeconds, type JobDetail, type QueueStats } from "./define-job.ts";
import { decodeCursor, encodeCursor, type JobEngine, type JobObserver, type ListJobsQuery } from "./engine.ts";
import type { JobRegistry } from "./registry.ts";
import { errorText, runJob } from "./run-job.ts";
import { withTraceContext } from "./trace-context.ts";

export interface TableEngineOptions {
  registry: JobRegistry;
  observer?: JobObserver;
  now?: () => Date;
  concurrency?: number;
  pollMs?: number;
  claimSeconds?: number;
  /** Completed jobs older than this are deleted by the engine's own hourly sweep. */
  retentionDays?: number;
}

const RELAY_BATCH = 100;

export function createTableEngine(
  database: Database,
  options: TableEngineOptions,
): JobEngine & {
  relayOnce(): Promise<number>;
  purgeCompleted(): Promise<number>;
} {
  const { registry, observer } = options;
  const now = options.now ?? (() => new Date());
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 200;
  const claimSeconds = options.claimSeconds ?? 300;
  const retentionDays = options.retentionDays ?? 14;
  const { db, schema } = database;
  const j = schema.jobs;
  const o = schema.outboxEvents;
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const crons: Cron[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let ticking = false;

  async function insertJob(tx: Db, name: string, payload: unknown, startAfter = now(), singletonKey?: string) {
    const job = registry.get(name);
    const id = newId();
    const inserted = await tx
      .insert(j)
      .values({
        id,
        name,
        payload: payload ?? {},
        retryLimit: job.retry.limit,
        retryDelaySeconds: job.retry.delaySeconds,
        retryBackoff: job.retry.backoff === "exponential",
        singletonKey: singletonKey ?? null,
        startAfter,
        createdAt: now(),
      })
      .onConflictDoNothing()
      .returning({ id: j.id });
    return inserted[0]?.id ?? "";
  }

  async function relayOnce(): Promise<number> {
    return database.transaction(async (tx) => {
      const events = await tx
        .select()
        .from(o)
        .where(isNull(o.publishedAt))
        .orderBy(asc(o.occurredAt), asc(o.id))
        .limit(RELAY_BATCH);
      if (events.length === 0) return 0;
      for (const event of events) {
        const recorded = { id: event.id, type: event.type, payload: event.payload, occurredAt: event.occurredAt };
        for (const route of registry.routes.get(event.type) ?? []) {
          await insertJob(tx, route.job, withTraceContext(route.payload(recorded as never), event.traceContext));
        }
      }
      await tx
        .update(o)
        .set({ publishedAt: now() })
        .where(
          inArray(
            o.id,
            events.map((event) => event.id),
          ),
        );
      return events.length;
    });
  }

  /** Takes one due job (or one whose claim lapsed), or null. */
  async function claim() {
    const at = now();
    const due = or(
      and(inArray(j.state, ["created", "retry"]), lte(j.startAfter, at)),
      and(eq(j.state, "active"), lt(j.lockedUntil, at)),
    );
    return database.transaction(async (tx) => {
      const [next] = await tx.select({ id: j.id }).from(j).where(due).orderBy(asc(j.startAfter)).limit(1);
      if (!next) return null;
      const [claimed] = await tx
        .update(j)
        .set({
          state: "active",
          attempts: sql`${j.attempts} + 1`,
          lockedUntil: new Date(at.getTime() + claimSeconds * 1000),
        })
        .where(and(eq(j.id, next.id), due))
        .returning();
      return claimed ?? null;
    });
  }

  async function settle(claimed: NonNullable<Awaited<ReturnType<typeof claim>>>, error: unknown) {
    const mine = and(eq(j.id, claimed.id), eq(j.state, "active"), eq(j.attempts, claimed.attempts));
    if (error === undefined) {
      await db.update(j).set({ state: "completed", completedAt: now(), lockedUntil: null }).where(mine);
      return;
    }
    const retries = claimed.attempts; // the retry this failure would start
    const exhausted = retries > claimed.retryLimit;
    const policy = {
      limit: claimed.retryLimit,
      delaySeconds: claimed.retryDelaySeconds,
      backoff: claimed.retryBackoff ? ("exponential" as const) : ("fixed" as const),
    };
    await db
      .update(j)
      .set({
        state: exhausted ? "failed" : "retry",
        lockedUntil: null,
        lastError: errorText(error),
        startAfter: exhausted
          ? claimed.startAfter
          : new Date(now().getTime() + retryDelaySeconds(policy, retries) * 1000),
        completedAt: exhausted ? now() : null,
      })
      .where(mine);
  }

  async function runClaimed(claimed: NonNullable<Awaited<ReturnType<typeof claim>>>) {
    const abort = new AbortController();
    const exhaustedByLapse = claimed.attempts > claimed.retryLimit + 1;
    const done = (async () => {
      if (exhaustedByLapse) return settle(claimed, new Error("claim lapsed on every attempt"));
      let failure: unknown;
      try {
        const context = { jobId: claimed.id, attempt: claimed.attempts, signal: abort.signal };
        await runJob(registry.get(claimed.name), claimed.payload, context, observer);
      } catch (error) {
        failure = error ?? new Error("job failed");
      }
      await settle(claimed, failure);
    })().finally(() => {
      running.delete(claimed.id);
      if (!stopping) queueMicrotask(() => void safeTick());
    });
    running.set(claimed.id, { done, abort });
  }

  let currentTick: Promise<void> | undefined;
  function tick(): Promise<void> {
    if (ticking || stopping) return currentTick ?? Promise.resolve();
    ticking = true;
    currentTick = drain();
    return currentTick;
  }

  async function drain() {
    try {
      while (await relayOnce()) {
        // drain the outbox first, so its jobs are claimable in this tick
      }
      for (;;) {
        if (stopping || running.size >= concurrency) break;
        const claimed = await claim();
        if (!claimed) break;
        await runClaimed(claimed);
      }
    } finally {
      ticking = false;
    }
  }

  const safeTick = () => tick().catch((error: unknown) => observer?.onError?.(error));

  async function purgeCompleted() {
    const cutoff = new Date(now().getTime() - retentionDays * 86_400_000);
    const gone = await db
      .delete(j)
      .where(and(eq(j.state, "completed"), lt(j.completedAt, cutoff)))
      .returning({ id: j.id });
    return gone.length;
  }

  const toSummary = (row: typeof j.$inferSelect) => ({
    id: row.id,
    name: row.name,
    state: row.state,
    attempts: row.attempts,
    retryLimit: row.retryLimit,
    createdAt: row.createdAt,
    startAfter: row.startAfter,
    completedAt: row.completedAt,
    lastError: row.lastError,
  });

  return {
    kind: "table",
    label: `jobs table on ${database.label}`,
    relayOnce,
    purgeCompleted,
    async start() {
      registry.validate();
    },
    async send(name, payload, sendOptions = {}) {
      registry.get(name).schema.parse(payload);
      const id = await insertJob(sendOptions.tx ?? db, name, payload, sendOptions.startAfter);
      if (timer && !sendOptions.tx) queueMicrotask(() => void safeTick());
      return id;
    },
    async work() {
      stopping = false;
      timer = setInterval(() => void safeTick(), pollMs);
      for (const schedule of registry.schedules) {
        const cron: Cron = new Cron(schedule.cron, { timezone: "UTC", protect: true }, async () => {
          const slot = cron.currentRun()?.toISOString() ?? now().toISOString();
          await insertJob(db, schedule.job, schedule.payload, now(), `${schedule.job}@${slot}`);
        });
        crons.push(cron);
      }
      crons.push(
        new Cron("17 * * * *", { timezone: "UTC", protect: true }, async () => {
          await purgeCompleted();
        }),
      );
      void safeTick();
    },
    async list(query: ListJobsQuery) {
      const after = decodeCursor(query.cursor);
      const rows = await db
        .select()
        .from(j)
        .where(
          and(
            eq(j.state, query.state),
            after
              ? or(lt(j.createdAt, after.createdAt), and(eq(j.createdAt, after.createdAt), lt(j.id, after.id)))
              : undefined,
          ),
        )
        .orderBy(desc(j.createdAt), desc(j.id))
        .limit(query.limit + 1);
      const items = rows.slice(0, query.limit).map(toSummary);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
    },
    async show(id): Promise<JobDetail | null> {
      const [row] = await db.select().from(j).where(eq(j.id, id)).limit(1);
      return row ? { ...toSummary(row), payload: row.payload } : null;
    },
    async retry(id) {
      const redriven = await db
        .update(j)
        .set({ state: "retry", attempts: 0, startAfter: now(), completedAt: null })
        .where(and(eq(j.id, id), eq(j.state, "failed")))
        .returning({ id: j.id });
      return redriven.length === 1;
    },
    async stats(): Promise<QueueStats[]> {
      const rows = await db
        .select({ name: j.name, state: j.state, jobs: count(), oldest: min(j.createdAt) })
        .from(j)
        .where(inArray(j.state, ["created", "retry", "active", "failed"]))
        .groupBy(j.name, j.state);
      const byName = new Map<string, QueueStats>();
      for (const name of registry.jobs.keys())
        byName.set(name, { name, queued: 0, active: 0, failed: 0, oldestAgeSeconds: 0 });
      for (const row of rows) {
        const stats = byName.get(row.name) ?? { name: row.name, queued: 0, active: 0, failed: 0, oldestAgeSeconds: 0 };
        byName.set(row.name, stats);
        if (row.state === "active") stats.active += row.jobs;
        else if (row.state === "failed") stats.failed += row.jobs;
        else {
          stats.queued += row.jobs;
          const oldest = row.oldest ? new Date(row.oldest).getTime() : now().getTime();
          stats.oldestAgeSeconds = Math.max(stats.oldestAgeSeconds, (now().getTime() - oldest) / 1000);
        }
      }
      return [...byName.values()];
    },
    ping: () => database.ping(),
    async stop(graceMs = 30_000) {
      stopping = true;
      clearInterval(timer);
      timer = undefined;
      for (const cron of crons.splice(0)) cron.stop();
      await currentTick?.catch(() => undefined);
      const all = Promise.allSettled([...running.values()].map((run) => run.done));
      const graceTimer = setTimeout(() => {
        for (const run of running.values()) run.abort.abort(new Error("worker stopping"));
      }, graceMs);
      await all;
      clearTimeout(graceTimer);
    },
  };
}
