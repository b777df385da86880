// Job attempts as spans, on each engine: the relay carries the event's stored trace context
// into the job, and each attempt is a `job <name>` CONSUMER span linked to it, with the job's
// name, id, attempt and outcome and nothing of the payload; a failed attempt is an error.
import { createEventRecorder } from "@cartwheel/db";
import { startTracing, type TracingHandle } from "@cartwheel/tracing";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, type JobEngine, JobRegistry } from "../src/index.ts";
import { TRACE_CONTEXT_KEY } from "../src/trace-context.ts";
import { engineKinds, eventually, openEngine, type OpenEngine } from "./support.ts";

const REQUEST_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const REQUEST_SPAN = "00f067aa0ba902b7";
const CONSUMER = 5;

let receiver: OtlpReceiver;
let tracing: TracingHandle;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = await startTracing({
    url: `${receiver.url}/v1/traces`,
    protocol: "http/json",
    serviceName: "jobs-test",
    sampler: "always_on",
    ratio: 1,
  });
});
afterAll(async () => {
  await tracing?.shutdown();
  await receiver?.close();
});

const spanNamed = (name: string) => {
  const found = (spans: ReceivedSpan[]) => spans.find((span) => span.name === name);
  return eventually(async () => (await tracing.flush(), found(receiver.spans)));
};

describe.each(engineKinds())("job spans on %s", (kind) => {
  let open: OpenEngine;
  let engine: JobEngine;
  const seen: unknown[] = [];
  const userId = crypto.randomUUID();
  const jobName = kind === "table on sqlite" ? "test.traced_table" : "test.traced_boss";

  beforeAll(async () => {
    open = await openEngine(kind);
    const registry = new JobRegistry()
      .add(
        defineJob({
          name: jobName,
          // Strict: the trace context must not reach the job's own schema.
          schema: z.strictObject({ eventId: z.uuid(), userId: z.uuid() }),
          handler: async (payload) => {
            seen.push(payload);
          },
        }),
      )
      .add(
        defineJob({
          name: `${jobName}_broken`,
          schema: z.object({}),
          retry: { limit: 0 },
          handler: async () => {
            throw new TypeError("broken on purpose");
          },
        }),
      )
      .route("user.registered", jobName);
    engine = open.engine(registry);
    await engine.start();
    await engine.work();
  });
  afterAll(async () => {
    await engine?.stop(5_000);
    await open?.close();
  });

  it("links the attempt's span to the request that recorded the event", async () => {
    const recorder = createEventRecorder(open.database, {
      traceContext: () => `00-${REQUEST_TRACE}-${REQUEST_SPAN}-01`,
    });
    await open.database.transaction((tx) => recorder.record(tx, { type: "user.registered", payload: { userId } }));
    const span = await spanNamed(`job ${jobName}`);

    expect(seen).toEqual([{ eventId: expect.any(String), userId }]);
    expect(span.kind).toBe(CONSUMER);
    expect(span.links).toEqual([{ traceId: REQUEST_TRACE, spanId: REQUEST_SPAN }]);
    expect(span.traceId).not.toBe(REQUEST_TRACE);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.attributes).toEqual({
      "job.name": jobName,
      "job.id": expect.any(String),
      "job.attempt": 1,
      "job.outcome": "completed",
    });
    expect(span.statusCode).toBe(0);
    // The job keeps the context (a redrive links to the same request); the admin sees it as such.
    const job = await engine.show(String(span.attributes["job.id"]));
    expect(job?.payload).toMatchObject({ userId, [TRACE_CONTEXT_KEY]: `00-${REQUEST_TRACE}-${REQUEST_SPAN}-01` });
  });

  it("marks a failed attempt as an error with the error's class, in a trace of its own", async () => {
    await engine.send(`${jobName}_broken`, {});
    const span = await spanNamed(`job ${jobName}_broken`);
    expect(span.links).toEqual([]);
    expect(span.statusCode).toBe(2);
    expect(span.attributes).toMatchObject({ "job.outcome": "failed", "job.attempt": 1, "error.type": "TypeError" });
    expect(JSON.stringify(span)).not.toContain("broken on purpose");
  });
});
