// Running one attempt of a job, the part both engines share: parse the payload with the job's
// schema (a malformed payload fails like any error, so it ends in the dead letter, not a loop),
// call the handler, and report the outcome to the observer.
import type { JobContext, JobDefinition } from "./define-job.ts";
import type { JobObserver } from "./engine.ts";
import { JOB_ERROR_MAX } from "@cartwheel/contracts/limits";

export async function runJob(job: JobDefinition, payload: unknown, context: JobContext, observer?: JobObserver) {
  const started = performance.now();
  try {
    await job.handler(job.schema.parse(payload), context);
    observer?.onRun?.(job.name, "completed", (performance.now() - started) / 1000);
  } catch (error) {
    observer?.onRun?.(job.name, "failed", (performance.now() - started) / 1000);
    throw error;
  }
}

/** The error text a failed job keeps: its message only, never a stack. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, JOB_ERROR_MAX);
}
