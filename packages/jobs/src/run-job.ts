// Running one attempt of a job, the part both engines share: parse the payload with the job's
// schema (a malformed payload fails like any error, so it ends in the dead letter, not a loop),
// call the handler, and report the outcome to the observer.
//
// Each attempt is a `job <name>` span (kind CONSUMER) in a trace of its own, linked to the
// request that caused it (decision 017): a link rather than a parent keeps the request's trace
// as long as the request, however late or often the job runs. Its attributes are the job's
// name, id, attempt and outcome, never the payload, which may hold personal data. Off, it
// costs inSpanFromTraceContext's null check.
import { inSpanFromTraceContext, SpanKind } from "@cartwheel/tracing";
import type { JobContext, JobDefinition } from "./define-job.ts";
import type { JobObserver } from "./engine.ts";
import { takeTraceContext } from "./trace-context.ts";
import { JOB_ERROR_MAX } from "@cartwheel/contracts/limits";

export async function runJob(job: JobDefinition, stored: unknown, context: JobContext, observer?: JobObserver) {
  const { payload, traceparent } = takeTraceContext(stored);
  const attributes = { "job.name": job.name, "job.id": context.jobId, "job.attempt": context.attempt };
  return inSpanFromTraceContext(
    `job ${job.name}`,
    traceparent,
    "link",
    { kind: SpanKind.CONSUMER, attributes },
    async (span) => {
      const started = performance.now();
      try {
        await job.handler(job.schema.parse(payload), context);
        span?.setAttribute("job.outcome", "completed");
        observer?.onRun?.(job.name, "completed", (performance.now() - started) / 1000);
      } catch (error) {
        span?.setAttribute("job.outcome", "failed");
        observer?.onRun?.(job.name, "failed", (performance.now() - started) / 1000);
        // What the engine keeps of a failure (pg-boss stores the thrown error as it is): the
        // message only, with any e-mail address in it (an SMTP refusal quotes the recipient) masked.
        throw maskedFailure(error);
      }
    },
  );
}

/** Anything shaped like an e-mail address, as SMTP servers quote recipients ("550 <jo@example.com>"). */
const EMAIL_IN_TEXT = /[^\s<>@"'(),;:]+@[^\s<>@"'(),;:]+\.[^\s<>@"'(),;:]+/g;

const masked = (text: string) => text.slice(0, JOB_ERROR_MAX).replace(EMAIL_IN_TEXT, "[email]");

/** The error text a failed job keeps: its message only, never a stack, and no e-mail address. */
export function errorText(error: unknown): string {
  return masked(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** The failure as the engines store it: same name, the masked message, no cause. */
function maskedFailure(error: unknown): Error {
  const failure = new Error(masked(error instanceof Error ? error.message : String(error)));
  if (error instanceof Error) failure.name = error.name;
  return failure;
}
