import { Worker } from "node:worker_threads";
import type { Attributes } from "@opentelemetry/api";
import { globalErrorHandler } from "@opentelemetry/core";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { TracingSettings } from "./settings.ts";
import { shipSpan } from "./shipped-span.ts";
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from "./span-export-worker.ts";

export interface ExportThreadOptions {
  /** Spans handed over in one message; fewer wait at most `shipDelayMs`. */
  shipBatchSize?: number;
  shipDelayMs?: number;
  /** Spans buffered here or handed over but not yet taken by the export thread; past it, new spans are dropped. */
  maxPending?: number;
  /** The worker's entry; tests point it elsewhere. */
  workerUrl?: URL;
  /** Told once if the thread dies; OpenTelemetry's global error handler otherwise. */
  onStopped?: (error: Error) => void;
}

/**
 * The worker entry next to this module: the TypeScript source under the test runner and
 * type stripping, the bundle's own file (`span-export-worker.mjs`, an entry of the server's
 * build) once bundled.
 */
const workerUrl = new URL(
  import.meta.url.endsWith(".ts") ? "./span-export-worker.ts" : "./span-export-worker.mjs",
  import.meta.url,
);

/**
 * A span processor that ships each sampled span, as JSON, to a worker thread that runs the
 * SDK's BatchSpanProcessor and OTLP exporter (decision 019). Encoding and sending a batch
 * costs about as much CPU as the spans in it, and would otherwise run inside whichever
 * request's span.end() filled the batch. What stays here is copying the span's fields.
 */
export class ExportThreadSpanProcessor implements SpanProcessor {
  readonly #worker: Worker;
  readonly #batchSize: number;
  readonly #delayMs: number;
  readonly #maxPending: number;
  readonly #onStopped: (error: Error) => void;
  /** Each span as JSON: a string crosses to the thread by a plain copy, where structured clone
   * of the same objects costs more than building them. */
  #buffer: string[] = [];
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #requests = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #nextId = 0;
  /** No more spans are taken (shut down, or the thread is gone). */
  #stopped = false;
  #threadGone = false;
  #shutdown: Promise<void> | undefined;

  constructor(
    settings: Pick<TracingSettings, "url" | "protocol">,
    resource: Attributes,
    options: ExportThreadOptions = {},
  ) {
    this.#batchSize = options.shipBatchSize ?? 64;
    this.#delayMs = options.shipDelayMs ?? 100;
    this.#maxPending = options.maxPending ?? 2048;
    this.#onStopped = options.onStopped ?? globalErrorHandler;
    const workerData: ExportWorkerData = { settings, resource };
    this.#worker = new Worker(options.workerUrl ?? workerUrl, { workerData, name: "span export" });
    this.#worker.on("message", (message: FromExportWorker) => this.#received(message));
    this.#worker.on("error", (error) => this.#failed(error));
    this.#worker.on("exit", (code) => this.#failed(new Error(`the span export thread exited (${code})`)));
    // Spans alone never keep a process alive; a flush or shutdown being answered does (#ask).
    // After the listeners: adding a message listener refs the thread again.
    this.#worker.unref();
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopped || (span.spanContext().traceFlags & 1) === 0) return;
    if (this.#pending + this.#buffer.length >= this.#maxPending) return;
    this.#buffer.push(shipSpan(span));
    if (this.#buffer.length >= this.#batchSize) this.#ship();
    else this.#timer ??= setTimeout(() => this.#ship(), this.#delayMs).unref();
  }

  forceFlush(): Promise<void> {
    if (this.#stopped) return this.#shutdown ?? Promise.resolve();
    this.#ship();
    return this.#ask("flush");
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      if (!this.#stopped) {
        this.#ship();
        const done = this.#ask("shutdown");
        this.#stopped = true;
        try {
          await done;
        } finally {
          await this.#worker.terminate();
        }
      }
    })();
    return this.#shutdown;
  }

  #ship(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length === 0 || this.#stopped) return;
    const count = this.#buffer.length;
    const spans = `[${this.#buffer.join(",")}]`;
    this.#buffer = [];
    this.#pending += count;
    this.#post({ type: "spans", spans, count });
  }

  #ask(type: "flush" | "shutdown"): Promise<void> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#requests.set(id, { resolve, reject });
      this.#worker.ref();
      this.#post({ type, id });
    });
  }

  #post(message: ToExportWorker): void {
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
    this.#worker.postMessage(message);
  }

  #received(message: FromExportWorker): void {
    if (message.type === "taken") {
      this.#pending -= message.count;
      return;
    }
    const request = this.#requests.get(message.id);
    this.#requests.delete(message.id);
    if (this.#requests.size === 0) this.#worker.unref();
    if (message.error) request?.reject(new Error(`span export failed: ${message.error}`));
    else request?.resolve();
  }

  /**
   * The thread is gone: whoever waits on it is told, spans are dropped from now on, and
   * onStopped hears of it unless a shutdown was under way (its caller gets the rejection).
   */
  #failed(error: Error): void {
    for (const request of this.#requests.values()) request.reject(error);
    this.#requests.clear();
    if (this.#threadGone) return;
    this.#threadGone = true;
    const stopping = this.#stopped;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#buffer = [];
    if (!stopping) this.#onStopped(error);
  }
}
