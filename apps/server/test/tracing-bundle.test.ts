// The built server as production runs it: without an OTLP endpoint no OpenTelemetry module
// is loaded; with one, the SDK comes in on demand and the last spans leave on SIGTERM.
import { fileURLToPath } from "node:url";
import { type OtlpReceiver, startOtlpReceiver } from "@cartwheel/tracing/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess } from "./support/server-process.ts";

const bundle = fileURLToPath(new URL("../dist/index.mjs", import.meta.url));
const hook = fileURLToPath(new URL("./fixtures/report-loaded-modules.mjs", import.meta.url));
const env = {
  NODE_ENV: "test",
  DATABASE_URL: ":memory:",
  AUTH_SECRET: "tracing-bundle-secret-".padEnd(48, "x"),
  NODE_OPTIONS: `--import ${hook}`,
};
/** OpenTelemetry packages the process loaded besides the API, the no-op facade (drizzle-orm loads it too). */
const loadedSdkModules = (output: string) => [
  ...new Set(
    [...output.matchAll(/^loaded-module (\S+)$/gm)]
      .map((match) => match[1])
      .filter((name) => name !== "@opentelemetry/api"),
  ),
];

describe("the built server's tracing", () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver?.close());

  it("off by default: answers without loading the OpenTelemetry SDK or sending a trace id", async () => {
    const server = await startServerProcess(bundle, env);
    const response = await fetch(`${server.url}/trpc/catalog.list?input=${encodeURIComponent('{"limit":1}')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-trace-id")).toBeNull();
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("shutdown complete");
    expect(loadedSdkModules(server.output())).toEqual([]);
  });

  it("on with an endpoint: loads the SDK and flushes the request's spans on graceful shutdown", async () => {
    const server = await startServerProcess(bundle, {
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
    });
    const response = await fetch(`${server.url}/trpc/catalog.list?input=${encodeURIComponent('{"limit":1}')}`);
    const traceId = response.headers.get("x-trace-id");
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // The batch processor waits 5 s before exporting: the spans arrive now only because shutdown flushes them.
    expect(receiver.spans.filter((span) => span.traceId === traceId)).toEqual([]);
    expect(await server.stop()).toBe(0);
    const names = receiver.spans.filter((span) => span.traceId === traceId).map((span) => span.name);
    expect(names).toContain("GET /trpc");
    expect(loadedSdkModules(server.output())).toContain("@opentelemetry/sdk-trace");
  });
});
