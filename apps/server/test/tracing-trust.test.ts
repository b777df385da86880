// Without TRUST_TRACE_HEADERS a caller cannot choose our trace: its traceparent is a link at most.
import { type OtlpReceiver, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { captureLogs } from "./support/app.ts";
import { callerContext, inTrace } from "./tracing/trace-checks.ts";

describe("caller trace headers with TRUST_TRACE_HEADERS unset", () => {
  let receiver: OtlpReceiver;
  let server: RunningServer;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_URL: ":memory:",
      AUTH_SECRET: "tracing-trust-secret-".padEnd(48, "x"),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    });
    server = await startServer({ config, logger: captureLogs("info").logger });
  });
  afterAll(async () => {
    await server?.shutdown("test over");
    await receiver?.close();
  });

  const traceOf = async (traceId: string) => {
    await server.tracing!.flush();
    const [span] = inTrace(await receiver.waitFor((spans) => inTrace(spans, traceId).length > 0), traceId);
    return span!;
  };

  it("starts a trace of its own and links the caller's context", async () => {
    const caller = callerContext();
    const response = await fetch(`${server.url}/health`, { headers: { traceparent: caller.traceparent } });
    expect(response.status).toBe(200);
    const traceId = response.headers.get("x-trace-id")!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(caller.traceId);
    const span = await traceOf(traceId);
    expect(span).toMatchObject({ name: "GET /health", kind: 2, parentSpanId: undefined });
    expect(span.links).toEqual([{ traceId: caller.traceId, spanId: caller.spanId }]);
  });

  it("ignores a malformed traceparent: a new trace without a link", async () => {
    const response = await fetch(`${server.url}/health`, {
      headers: { traceparent: `00-${"0".repeat(32)}-${"1".repeat(16)}-01` },
    });
    const span = await traceOf(response.headers.get("x-trace-id")!);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.links).toEqual([]);
  });
});

describe("tracing configuration", () => {
  it("names a bad OTEL variable at start, like any other setting", () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^Invalid environment variable OTEL_EXPORTER_OTLP_PROTOCOL: /);
    expect(() => loadConfig({ TRUST_TRACE_HEADERS: "yes" })).toThrow(/TRUST_TRACE_HEADERS/);
    expect(loadConfig({}).TRUST_TRACE_HEADERS).toBe(false);
    expect(loadConfig({ TRUST_TRACE_HEADERS: "1" }).TRUST_TRACE_HEADERS).toBe(true);
  });
});
