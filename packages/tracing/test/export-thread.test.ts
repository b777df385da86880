// The export thread through the SDK's own tracer, to a receiver: what a span records arrives
// as recorded, in either protocol, and a thread that cannot keep up drops spans instead of
// buffering without bound.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from "@opentelemetry/api";
import { type Sampler, SamplingDecision, TracerProvider } from "@opentelemetry/sdk-trace";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportThreadSpanProcessor } from "../src/span-export-thread.ts";
import { type OtlpReceiver, startOtlpReceiver } from "../src/testing/otlp-receiver.ts";

const remoteParent = {
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
};
const linked = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 };

/** Records spans named "recorded only" without sampling them, as a sampler may. */
const recordOnlySampler: Sampler = {
  shouldSample: (_context, _traceId, name) => ({
    decision: name === "recorded only" ? SamplingDecision.RECORD : SamplingDecision.RECORD_AND_SAMPLED,
  }),
  toString: () => "RecordOnlySampler",
};

function tracerOver(processor: ExportThreadSpanProcessor) {
  const provider = new TracerProvider({ spanProcessors: [processor], sampler: recordOnlySampler });
  return { tracer: provider.getTracer("export-thread-test", "1.2.3"), provider };
}

describe("the span export thread", () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  for (const protocol of ["http/protobuf", "http/json"] as const) {
    it(`delivers kind, parent, attributes, events, links and status as recorded (${protocol})`, async () => {
      const processor = new ExportThreadSpanProcessor(
        { url: `${receiver.url}/v1/traces`, protocol },
        { "service.name": `thread-${protocol}` },
      );
      const { tracer } = tracerOver(processor);
      const name = `recorded ${protocol}`;
      const span = tracer.startSpan(
        name,
        {
          kind: SpanKind.CLIENT,
          attributes: { "db.operation.name": "SELECT", retries: 2, cached: false, tags: ["a", "b"] },
          links: [{ context: linked, attributes: { "cartwheel.link": "caller" } }],
        },
        trace.setSpanContext(ROOT_CONTEXT, remoteParent),
      );
      span.addEvent("retry", { attempt: 1 });
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      await processor.forceFlush();
      const [received] = (await receiver.waitFor((all) => all.some((s) => s.name === name))).filter(
        (s) => s.name === name,
      );
      expect(received).toMatchObject({
        traceId: remoteParent.traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: remoteParent.spanId,
        kind: 3,
        attributes: { "db.operation.name": "SELECT", retries: 2, cached: false, tags: ["a", "b"] },
        events: [{ name: "retry", attributes: { attempt: 1 } }],
        links: [{ traceId: linked.traceId, spanId: linked.spanId }],
        statusCode: 2,
        resource: { "service.name": `thread-${protocol}` },
      });
      await processor.shutdown();
    });
  }

  it("drops spans past its bound while none have been handed over, and exports the rest", async () => {
    const service = "thread-bounded";
    const processor = new ExportThreadSpanProcessor(
      { url: `${receiver.url}/v1/traces`, protocol: "http/protobuf" },
      { "service.name": service },
      // Nothing ships before the flush, so the bound is reached synchronously.
      { shipBatchSize: 1000, shipDelayMs: 60_000, maxPending: 5 },
    );
    const { tracer } = tracerOver(processor);
    for (let index = 0; index < 12; index++) tracer.startSpan(`bounded ${index}`).end();
    await processor.forceFlush();
    const ours = () => receiver.spans.filter((s) => s.resource["service.name"] === service);
    await receiver.waitFor(() => ours().length >= 5);
    expect(ours().map((s) => s.name)).toEqual(["bounded 0", "bounded 1", "bounded 2", "bounded 3", "bounded 4"]);
    await processor.shutdown();
  });

  it("reports once when its thread dies, then drops spans and answers flushes", async () => {
    const stopped: Error[] = [];
    const processor = new ExportThreadSpanProcessor(
      { url: `${receiver.url}/v1/traces`, protocol: "http/protobuf" },
      { "service.name": "thread-dies" },
      { workerUrl: new URL("fixtures/dying-export-worker.mjs", import.meta.url), onStopped: (e) => stopped.push(e) },
    );
    await expect.poll(() => stopped.length).toBe(1);
    expect(stopped[0]!.message).toBe("the span export thread exited (3)");
    const { tracer } = tracerOver(processor);
    tracer.startSpan("after the thread died").end();
    await expect(processor.forceFlush()).resolves.toBeUndefined();
    await processor.shutdown();
    expect(stopped).toHaveLength(1);
    expect(receiver.spans.some((s) => s.name === "after the thread died")).toBe(false);
  });

  it("fails a shutdown whose thread dies meanwhile, instead of waiting for ever", async () => {
    const stopped: Error[] = [];
    const processor = new ExportThreadSpanProcessor(
      { url: `${receiver.url}/v1/traces`, protocol: "http/protobuf" },
      { "service.name": "thread-dies-on-shutdown" },
      {
        workerUrl: new URL("fixtures/worker-dying-on-shutdown.mjs", import.meta.url),
        onStopped: (e) => stopped.push(e),
      },
    );
    await processor.forceFlush();
    await expect(processor.shutdown()).rejects.toThrow("the span export thread exited (4)");
    // The shutdown's caller has the error; onStopped is for deaths nobody is waiting on.
    expect(stopped).toEqual([]);
  });

  /** Runs fixtures/traced-script.ts to its end: how it exited, or SIGKILL after 15 s. */
  const runTracedScript = (mode: "flush" | "no flush") =>
    new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      const script = fileURLToPath(new URL("fixtures/traced-script.ts", import.meta.url));
      const child = spawn(process.execPath, [script, `${receiver.url}/v1/traces`, mode], { stdio: "inherit" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });

  it("lets a process that never flushes exit on its own", async () => {
    expect(await runTracedScript("no flush")).toEqual({ code: 0, signal: null });
  }, 30_000);

  it("keeps a process alive while a flush is answered, then lets it exit", async () => {
    expect(await runTracedScript("flush")).toEqual({ code: 0, signal: null });
    expect(receiver.spans.some((s) => s.name === "script flush")).toBe(true);
  }, 30_000);

  it("sends nothing for unsampled spans and stops cleanly twice", async () => {
    const service = "thread-unsampled";
    const processor = new ExportThreadSpanProcessor(
      { url: `${receiver.url}/v1/traces`, protocol: "http/protobuf" },
      { "service.name": service },
    );
    const { tracer } = tracerOver(processor);
    const recordedOnly = tracer.startSpan("recorded only");
    expect(recordedOnly.isRecording()).toBe(true);
    recordedOnly.end();
    tracer.startSpan("sampled").end();
    await processor.forceFlush();
    await receiver.waitFor((all) => all.some((s) => s.resource["service.name"] === service));
    expect(receiver.spans.filter((s) => s.resource["service.name"] === service).map((s) => s.name)).toEqual([
      "sampled",
    ]);
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    await expect(processor.forceFlush()).resolves.toBeUndefined();
  });
});
