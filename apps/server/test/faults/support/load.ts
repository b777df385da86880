// A bounded, paced load for fault tests: a fixed number of clients, each sending one request
// at a time with a pause in between, for a fixed time. Every attempt is recorded (status or
// network error, latency), so a suite can assert that none failed or hung and print figures.

export interface Attempt {
  /** What the client did, e.g. "orders.place" (the histogram is kept per label). */
  label: string;
  /** HTTP status, or the network error code when no answer came ("ECONNRESET", "timeout"). */
  outcome: number | string;
  ms: number;
  /** Milliseconds since the load started. */
  at: number;
}

/** Aborts an attempt that has not answered in this time: a hang becomes a recorded failure. */
const ATTEMPT_ABORT_MS = 5000;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** The `result.data` of a tRPC answer (no transformer: plain JSON). */
export const trpcData = (answer: Answer): unknown =>
  (JSON.parse(answer.text) as { result: { data: unknown } }).result.data;

export class LoadRecorder {
  readonly attempts: Attempt[] = [];
  readonly startedAt = performance.now();

  /** Times `send`, records its status or its network error, and returns the answer (null on error). */
  async time(label: string, send: (signal: AbortSignal) => Promise<Response>): Promise<Answer | null> {
    const started = performance.now();
    const signal = AbortSignal.timeout(ATTEMPT_ABORT_MS);
    try {
      const response = await send(signal);
      // The body is part of the answer: read it inside the timing.
      const text = await response.text();
      this.record(label, response.status, started);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      this.record(label, networkErrorCode(error), started);
      return null;
    }
  }

  private record(label: string, outcome: number | string, started: number): void {
    const now = performance.now();
    this.attempts.push({ label, outcome, ms: now - started, at: started - this.startedAt });
  }

  /** Attempts that did not get a 2xx answer. */
  failures(): Attempt[] {
    return this.attempts.filter((attempt) => typeof attempt.outcome !== "number" || attempt.outcome >= 300);
  }

  summary(): LoadSummary {
    const latencies = this.attempts.map((attempt) => attempt.ms).toSorted((a, b) => a - b);
    const histogram: Record<string, Record<string, number>> = {};
    for (const { label, outcome } of this.attempts) {
      const byOutcome = (histogram[label] ??= {});
      byOutcome[String(outcome)] = (byOutcome[String(outcome)] ?? 0) + 1;
    }
    return {
      requests: this.attempts.length,
      histogram,
      maxMs: Math.round(latencies.at(-1) ?? 0),
      p99Ms: Math.round(percentile(latencies, 0.99)),
      p50Ms: Math.round(percentile(latencies, 0.5)),
    };
  }
}

export interface LoadSummary {
  requests: number;
  /** label → outcome → count. */
  histogram: Record<string, Record<string, number>>;
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function networkErrorCode(error: unknown): string {
  if (error instanceof DOMException && error.name === "TimeoutError") return "timeout";
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return cause.code;
  return error instanceof Error ? error.message : String(error);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `clients` loops until `durationMs` has passed (or `until()` says so); each loop awaits
 * `step(client, n)` then pauses `pauseMs`, so the offered load stays bounded whatever the
 * server's speed.
 */
export async function constantLoad(options: {
  clients: number;
  durationMs: number;
  pauseMs: number;
  until?: () => boolean;
  step: (client: number, iteration: number) => Promise<void>;
}): Promise<void> {
  const deadline = performance.now() + options.durationMs;
  const going = () => performance.now() < deadline && !options.until?.();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      for (let iteration = 0; going(); iteration++) {
        await options.step(client, iteration);
        await sleep(options.pauseMs);
      }
    }),
  );
}

/** One block of figures per suite, in the test output, for the run's notes. */
export function printFigures(title: string, summary: LoadSummary, extra: Record<string, unknown> = {}): void {
  const lines = [
    `── ${title}`,
    `requests sent: ${summary.requests}`,
    ...Object.entries(summary.histogram).map(
      ([label, outcomes]) =>
        `  ${label}: ${Object.entries(outcomes)
          .map(([outcome, count]) => `${outcome}×${count}`)
          .join(" ")}`,
    ),
    `latency: p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms`,
    ...Object.entries(extra).map(
      ([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
