import type { ReceivedSpan } from "@cartwheel/tracing/testing";

export const randomHex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

/** A caller's trace context: a fresh trace id and the caller's own span id. */
export function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

export const inTrace = (spans: ReceivedSpan[], traceId: string) => spans.filter((span) => span.traceId === traceId);

/** The span and every span under it, in the trace's parent order. */
export function descendants(spans: ReceivedSpan[], root: ReceivedSpan): ReceivedSpan[] {
  const children = spans.filter((span) => span.parentSpanId === root.spanId);
  return children.flatMap((child) => [child, ...descendants(spans, child)]);
}

/** Every attribute value of every span (its events' too), with where it was found. */
export function allAttributeValues(spans: ReceivedSpan[]): { where: string; value: string }[] {
  return spans.flatMap((span) => [
    ...Object.entries(span.attributes).map(([key, value]) => ({ where: `${span.name} ${key}`, value: String(value) })),
    ...span.events.flatMap((event) =>
      Object.entries(event.attributes).map(([key, value]) => ({
        where: `${span.name} ${event.name} ${key}`,
        value: String(value),
      })),
    ),
  ]);
}
