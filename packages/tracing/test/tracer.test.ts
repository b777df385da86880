// The API against a running SDK exporting to a receiver in the test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  currentSpanIds,
  currentTraceparent,
  inSpan,
  inSpanFromTraceContext,
  startTracing,
  type TracingHandle,
  tracingEnabled,
} from "../src/index.ts";
import { type OtlpReceiver, startOtlpReceiver } from "../src/testing/otlp-receiver.ts";

const stored = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("tracing helpers", () => {
  let receiver: OtlpReceiver;
  let tracing: TracingHandle;

  it("run their function untouched while tracing is off", async () => {
    expect(tracingEnabled()).toBe(false);
    expect(inSpan("off", {}, (span) => span)).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
    expect(await inSpanFromTraceContext("off", stored, "parent", {}, async () => 42)).toBe(42);
  });

  describe("with the SDK started", () => {
    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      tracing = await startTracing({
        url: `${receiver.url}/v1/traces`,
        protocol: "http/protobuf",
        serviceName: "tracing-test",
        sampler: "always_on",
        ratio: 1,
      });
    });
    afterAll(async () => {
      await tracing.shutdown();
      await receiver.close();
    });

    it("nests spans across awaits and exposes the active one as a traceparent", async () => {
      let inner = "";
      let ids: ReturnType<typeof currentSpanIds>;
      await inSpan("outer", {}, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        await inSpan("inner", {}, async () => {
          inner = currentTraceparent()!;
          ids = currentSpanIds();
        });
      });
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((span) => span.name === "inner"));
      const outer = spans.find((span) => span.name === "outer")!;
      const innerSpan = spans.find((span) => span.name === "inner")!;
      expect(innerSpan.parentSpanId).toBe(outer.spanId);
      expect(inner).toBe(`00-${outer.traceId}-${innerSpan.spanId}-01`);
      expect(ids).toEqual({ trace_id: outer.traceId, span_id: innerSpan.spanId });
    });

    it("continues a stored context as parent, or links to it from a trace of its own", async () => {
      inSpanFromTraceContext("as child", stored, "parent", {}, () => undefined);
      inSpanFromTraceContext("as link", stored, "link", {}, () => undefined);
      inSpanFromTraceContext("no context", "not a traceparent", "parent", {}, () => undefined);
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((span) => span.name === "no context"));
      const child = spans.find((span) => span.name === "as child")!;
      expect(child).toMatchObject({ traceId: stored.split("-")[1], parentSpanId: stored.split("-")[2] });
      const linked = spans.find((span) => span.name === "as link")!;
      expect(linked.traceId).not.toBe(stored.split("-")[1]);
      expect(linked.parentSpanId).toBeUndefined();
      expect(linked.links).toEqual([{ traceId: stored.split("-")[1], spanId: stored.split("-")[2] }]);
      expect(spans.find((span) => span.name === "no context")!.links).toEqual([]);
    });

    it("marks a failed span with the error's code, never its message", async () => {
      const failure = Object.assign(new Error("duplicate key for someone@example.com"), { code: "23505" });
      await expect(inSpan("fails", {}, async () => Promise.reject(failure))).rejects.toBe(failure);
      await tracing.flush();
      const spans = await receiver.waitFor((all) => all.some((span) => span.name === "fails"));
      const failed = spans.find((span) => span.name === "fails")!;
      expect(failed.statusCode).toBe(2);
      expect(failed.attributes).toEqual({ "error.type": "23505" });
      expect(JSON.stringify(failed)).not.toContain("someone@example.com");
    });
  });
});
