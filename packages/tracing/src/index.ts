export {
  currentSpanIds,
  currentTraceparent,
  failSpan,
  inSpan,
  inSpanFromTraceContext,
  remoteSpanContext,
  type Span,
  SpanKind,
  type SpanOptions,
  startChildSpan,
  startSpan,
  startTracing,
  type TraceContextUse,
  type TracingHandle,
  tracingEnabled,
  type Attributes,
} from "./tracer.ts";
export { type DatabaseSystem, statementSpans } from "./statements.ts";
export {
  SAMPLERS,
  type SamplerName,
  type TracingSettings,
  TracingSettingsError,
  tracingSettingsFromEnv,
} from "./settings.ts";
export { acceptableTracestate, formatTraceparent, parseTraceparent, type TraceParent } from "./traceparent.ts";
export { context, type Link, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
