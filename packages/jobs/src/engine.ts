// What the server, the admin router and the CLI see of a job engine, whichever runs below.
import { DomainError, type JobState, MAX_TIMESTAMP_MS, MIN_TIMESTAMP_MS } from "@cartwheel/contracts";
import type { Db } from "@cartwheel/db";
import type { JobDetail, JobSummary, QueueStats } from "./define-job.ts";

export interface ListJobsQuery {
  state: JobState;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface JobPage {
  items: JobSummary[];
  nextCursor: string | null;
}

/** Runs, successes and failures as they happen, for /metrics. */
export interface JobObserver {
  onRun?(name: string, outcome: "completed" | "failed", seconds: number): void;
  /** A failure of the engine itself (not of a job): a lost database, a bad schedule. */
  onError?(error: unknown): void;
}

export interface JobEngine {
  readonly kind: "pg-boss" | "table";
  /** Describes where the queue lives, without credentials, for /ready. */
  readonly label: string;
  /** Creates the jobs and schedules the registry names; call once before anything else. */
  start(): Promise<void>;
  /**
   * Queues a job. With `tx` (the table engine only) it commits with the caller's transaction;
   * on pg-boss events reach jobs through the outbox relay, in the relay's own transaction.
   */
  send(name: string, payload: unknown, options?: { tx?: Db; startAfter?: Date }): Promise<string>;
  /** Starts taking jobs, running the relay and the cron. */
  work(): Promise<void>;
  list(query: ListJobsQuery): Promise<JobPage>;
  show(id: string): Promise<JobDetail | null>;
  /** Puts a failed (dead-lettered) job back in the queue; false when there is no such job. */
  retry(id: string): Promise<boolean>;
  stats(): Promise<QueueStats[]>;
  ping(): Promise<void>;
  /** Stops taking jobs, lets running ones finish (up to `graceMs`), then closes. */
  stop(graceMs?: number): Promise<void>;
}

/** Keyset cursor over (created_at desc, id desc), opaque to clients. */
export function encodeCursor(job: { createdAt: Date; id: string }): string {
  return Buffer.from(`${job.createdAt.getTime()}:${job.id}`).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The position a `nextCursor` names, or null without one. A cursor this engine did not write
 * (a forged time outside `Date`'s range, an id that is no UUID) would otherwise reach a query
 * as an invalid date and fail there (a 500); it is the caller's 400 instead.
 */
export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (cursor === undefined) return null;
  const [ms, id, ...rest] = Buffer.from(cursor, "base64url").toString().split(":");
  const time = Number(ms);
  if (
    rest.length > 0 ||
    !id ||
    !UUID.test(id) ||
    !Number.isSafeInteger(time) ||
    time < MIN_TIMESTAMP_MS ||
    time > MAX_TIMESTAMP_MS
  ) {
    throw new DomainError("invalid_cursor", "The cursor is invalid or belongs to another listing.", {});
  }
  return { createdAt: new Date(time), id };
}
