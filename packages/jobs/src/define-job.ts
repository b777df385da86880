// A job is a name, a payload schema and a handler: the same definition runs on pg-boss
// (PostgreSQL) and on the table engine (SQLite), so a handler is written once. Delivery is at
// least once on both, so handlers are idempotent: key side effects by `jobId` or an event id.
import type { JobState } from "@cartwheel/contracts";
import type { z } from "zod";

export interface RetryPolicy {
  /** Retries after the first attempt; once used up the job is `failed` (the dead letter). */
  limit: number;
  /** Seconds before the first retry; with `exponential` it doubles on each retry after that. */
  delaySeconds: number;
  backoff: "exponential" | "fixed";
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 5, delaySeconds: 2, backoff: "exponential" };

export interface JobContext {
  jobId: string;
  /** 1 for the first run, 2 for the first retry, and so on. */
  attempt: number;
  /** Aborted when the worker stops past its grace period, or the job's claim lapses. */
  signal: AbortSignal;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  handler: (payload: z.infer<S>, context: JobContext) => Promise<void>;
  retry: RetryPolicy;
}

export function defineJob<S extends z.ZodType>(definition: {
  name: string;
  schema: S;
  handler: (payload: z.infer<S>, context: JobContext) => Promise<void>;
  retry?: Partial<RetryPolicy>;
}): JobDefinition<S> {
  if (!/^[a-z][a-z0-9_.]{0,63}$/.test(definition.name)) throw new Error(`bad job name: ${definition.name}`);
  return { ...definition, retry: { ...DEFAULT_RETRY, ...definition.retry } };
}

/** Seconds to wait before retry number `retry` (1 for the first retry). */
export function retryDelaySeconds(policy: RetryPolicy, retry: number): number {
  if (policy.backoff === "fixed") return policy.delaySeconds;
  return policy.delaySeconds * 2 ** Math.min(16, Math.max(0, retry - 1));
}

export interface JobSummary {
  id: string;
  name: string;
  state: JobState;
  /** Attempts started so far. */
  attempts: number;
  retryLimit: number;
  createdAt: Date;
  startAfter: Date;
  completedAt: Date | null;
  lastError: string | null;
}

export interface JobDetail extends JobSummary {
  payload: unknown;
}

export interface QueueStats {
  name: string;
  /** Jobs waiting to run now or later (created and retry). */
  queued: number;
  active: number;
  failed: number;
  /** Seconds the oldest queued job has waited since creation; 0 with none queued. */
  oldestAgeSeconds: number;
}
