// The request that caused a job travels in the job's payload, under one reserved key, so that
// pg-boss (whose jobs have no column of ours) and the jobs table carry it the same way, and a
// redriven job keeps it. It is a W3C `traceparent` (ids and a flag, nothing personal). The
// relay adds it; runJob takes it off again before the job's schema sees the payload.

export const TRACE_CONTEXT_KEY = "_traceparent";

/** The payload with the event's stored trace context, when there is one and the payload is an object. */
export function withTraceContext(payload: unknown, traceparent: string | null | undefined): unknown {
  if (!traceparent || !isRecord(payload)) return payload;
  return { ...payload, [TRACE_CONTEXT_KEY]: traceparent };
}

/** The payload as the job defined it, and the trace context the relay stored with it, if any. */
export function takeTraceContext(payload: unknown): { payload: unknown; traceparent: string | undefined } {
  if (!isRecord(payload) || !(TRACE_CONTEXT_KEY in payload)) return { payload, traceparent: undefined };
  const { [TRACE_CONTEXT_KEY]: stored, ...rest } = payload;
  return { payload: rest, traceparent: typeof stored === "string" ? stored : undefined };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
