import type { SpanContext } from "@opentelemetry/api";

/** The parts of a W3C `traceparent` header (version 00). */
export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;
/** tracestate: at most 32 list members of bounded keys and values (W3C Trace Context §3.3). */
const MAX_TRACESTATE_LENGTH = 512;

/**
 * Parses a `traceparent` value; anything malformed, an all-zero id, or version ff is
 * undefined, so a caller's garbage starts a fresh trace instead of poisoning ours.
 */
export function parseTraceparent(value: string | null | undefined): TraceParent | undefined {
  if (!value || value.length > 256) return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent({ traceId, spanId, sampled }: TraceParent): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/** A tracestate header kept only when short and printable; otherwise dropped. */
export function acceptableTracestate(value: string | null | undefined): string | undefined {
  if (!value || value.length > MAX_TRACESTATE_LENGTH) return undefined;
  return /^[\x20-\x7e]*$/.test(value) ? value : undefined;
}

/** tracestate passed through as received: we add no entries of our own. */
export function traceStateOf(serialized: string): NonNullable<SpanContext["traceState"]> {
  const entries = serialized
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const state: NonNullable<SpanContext["traceState"]> = {
    set: () => state,
    unset: () => state,
    get: (key) => entries.find((entry) => entry.startsWith(`${key}=`))?.slice(key.length + 1),
    serialize: () => entries.join(","),
  };
  return state;
}
