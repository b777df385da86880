// The export thread: spans arrive as plain data from the server's thread (span-export-thread.ts)
// and go through the SDK's own BatchSpanProcessor and OTLP exporter, so encoding and sending
// them takes no time from request handling. Batching, the queue bound (spans beyond it are
// dropped) and retries are the SDK's.
import { parentPort, workerData } from "node:worker_threads";
import type { Attributes } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import { exporterFor } from "./exporter.ts";
import type { TracingSettings } from "./settings.ts";
import { reviveSpan, scopeSharer, type ShippedSpan } from "./shipped-span.ts";

export interface ExportWorkerData {
  settings: Pick<TracingSettings, "url" | "protocol">;
  resource: Attributes;
}

export type ToExportWorker =
  /** `spans` is a JSON array of ShippedSpan. */
  { type: "spans"; spans: string; count: number } | { type: "flush" | "shutdown"; id: number };

export type FromExportWorker = { type: "taken"; count: number } | { type: "done"; id: number; error?: string };

if (parentPort) {
  const port = parentPort;
  const { settings, resource: resourceAttributes } = workerData as ExportWorkerData;
  const resource = resourceFromAttributes(resourceAttributes);
  const processor = new BatchSpanProcessor({ exporter: exporterFor(settings) });
  const scopeOf = scopeSharer();
  const reply = (message: FromExportWorker) => port.postMessage(message);

  port.on("message", (message: ToExportWorker) => {
    if (message.type === "spans") {
      const spans = JSON.parse(message.spans) as ShippedSpan[];
      for (const span of spans) processor.onEnd(reviveSpan(span, resource, scopeOf(span)));
      reply({ type: "taken", count: message.count });
      return;
    }
    const { id } = message;
    const work = message.type === "flush" ? processor.forceFlush() : processor.shutdown();
    work.then(
      () => reply({ type: "done", id }),
      // The exporter's errors name the endpoint and status, never span data.
      (error: unknown) => reply({ type: "done", id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
