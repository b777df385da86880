import {
  type Attributes,
  type Context,
  context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
  TraceFlags,
} from "@opentelemetry/api";
import type { RunningSdk } from "./sdk.ts";
import { type TracingSettings } from "./settings.ts";
import { acceptableTracestate, formatTraceparent, parseTraceparent, traceStateOf } from "./traceparent.ts";

export { SpanKind, type Attributes, type Span };

/** Null while tracing is off: every helper below then just runs its function. */
let tracer: Tracer | null = null;
let sdk: RunningSdk | null = null;

export const tracingEnabled = (): boolean => tracer !== null;

export interface TracingHandle {
  /** Exports what is buffered (tests, before reading a receiver). */
  flush(): Promise<void>;
  /** Flushes and stops; later spans are not recorded. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK. It is imported here, on demand, so that a process with
 * tracing off never loads it, and the helpers below cost one null check.
 */
export async function startTracing(
  settings: TracingSettings,
  version?: string,
  /** Told once if span export stops for good (its thread died); spans are dropped from then on. */
  onExportStopped?: (error: Error) => void,
): Promise<TracingHandle> {
  if (sdk) throw new Error("tracing is already started");
  const { startSdk } = await import("./sdk.ts");
  const running = startSdk(settings, version, onExportStopped);
  sdk = running;
  tracer = running.tracer;
  return {
    flush: () => running.flush(),
    shutdown: async () => {
      if (sdk !== running) return;
      tracer = null;
      sdk = null;
      await running.shutdown();
    },
  };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
}

function endWith(span: Span, error: unknown): never {
  failSpan(span, error);
  span.end();
  throw error;
}

/**
 * Runs `fn` inside a new span that is the active one for everything `fn` starts (awaits
 * included); the span ends when `fn` returns or its promise settles. A throw marks it
 * failed (see failSpan).
 * While tracing is off it is `fn(undefined)`.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T, parent?: Context): T {
  if (!tracer) return fn(undefined);
  const span = tracer.startSpan(name, options, parent ?? context.active());
  const scope = trace.setSpan(parent ?? context.active(), span);
  let result: T;
  try {
    result = context.with(scope, fn, undefined, span);
  } catch (error) {
    endWith(span, error);
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => (span.end(), value),
      (error: unknown) => endWith(span, error),
    ) as T;
  }
  span.end();
  return result;
}

/** A span ended by hand (query observers); undefined while tracing is off. */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  return tracer?.startSpan(name, options, context.active());
}

/**
 * Marks a span failed with the error's code or class as `error.type`. Never the message or
 * stack: database and validation messages may quote the values that caused them.
 */
/**
 * A span ended by hand, only as the child of an active span: work outside any request or
 * job (connection setup, background polls) is not traced. Undefined otherwise.
 */
export function startChildSpan(name: string, options: SpanOptions): Span | undefined {
  if (!tracer) return undefined;
  const active = context.active();
  return trace.getSpan(active) ? tracer.startSpan(name, options, active) : undefined;
}

export function failSpan(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const type = typeof code === "string" ? code : error instanceof Error ? error.name : "Error";
  span.setAttribute("error.type", type.slice(0, 64));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The active span's ids, for log lines; undefined outside a recorded span or while off. */
export function currentSpanIds(): { trace_id: string; span_id: string } | undefined {
  if (!tracer) return undefined;
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * The active span as a W3C `traceparent`, to store with work that continues elsewhere
 * (an outbox event, a queued job) or to send to another service. Undefined while off.
 */
export function currentTraceparent(): string | undefined {
  if (!tracer) return undefined;
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return formatTraceparent({ traceId, spanId, sampled: (traceFlags & 1) === 1 });
}

/** A remote span context from a stored or received `traceparent` (and `tracestate`). */
export function remoteSpanContext(
  traceparent: string | null | undefined,
  tracestate?: string | null,
): SpanContext | undefined {
  const parsed = parseTraceparent(traceparent);
  if (!parsed) return undefined;
  const state = acceptableTracestate(tracestate);
  return {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
    ...(state ? { traceState: traceStateOf(state) } : {}),
  };
}

export type TraceContextUse = "parent" | "link";

/**
 * Runs `fn` in a span continuing work recorded elsewhere under a stored `traceparent`
 * (a job from the outbox, say): as its child (`parent`), or in a trace of its own that
 * links back to it (`link`, for work that outlives the request). A missing or malformed
 * context just starts a new trace.
 */
export function inSpanFromTraceContext<T>(
  name: string,
  stored: string | null | undefined,
  use: TraceContextUse,
  options: SpanOptions,
  fn: (span: Span | undefined) => T,
): T {
  if (!tracer) return fn(undefined);
  const remote = remoteSpanContext(stored);
  if (!remote) return inSpan(name, options, fn, ROOT_CONTEXT);
  if (use === "parent") return inSpan(name, options, fn, trace.setSpanContext(ROOT_CONTEXT, remote));
  return inSpan(name, { ...options, links: [...(options.links ?? []), { context: remote }] }, fn, ROOT_CONTEXT);
}
