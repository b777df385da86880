// A finished span as a flat JSON tuple, so it can cross to the export worker as a string
// (structured clone of a ReadableSpan's nested objects costs more than the span itself), and
// the ReadableSpan the worker's exporter reads, rebuilt from it. Positions rather than keys
// keep the string short and quick to build and parse on the request thread.
// Attribute values travel as JSON: a NaN or infinite number arrives empty and a byte array
// as a list. Cartwheel's spans carry strings, finite numbers and booleans only.
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { hrTimeDuration, type InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan, TimedEvent } from "@opentelemetry/sdk-trace";
import { traceStateOf } from "./traceparent.ts";

type ShippedLink = [
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | null,
  isRemote: 0 | 1,
  attributes: Attributes | null,
  droppedAttributesCount: number,
];

type ShippedEvent = [name: string, time: HrTime, attributes: Attributes | null, droppedAttributesCount: number];

export type ShippedSpan = [
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | null,
  /** The parent is always in the same trace, so its span id and whether it came from a caller suffice. */
  parentSpanId: string | null,
  parentIsRemote: 0 | 1,
  name: string,
  kind: SpanKind,
  startTime: HrTime,
  endTime: HrTime,
  statusCode: SpanStatusCode,
  statusMessage: string | null,
  attributes: Attributes,
  links: ShippedLink[] | 0,
  events: ShippedEvent[] | 0,
  droppedAttributesCount: number,
  droppedEventsCount: number,
  droppedLinksCount: number,
  scopeName: string,
  scopeVersion: string | null,
  scopeSchemaUrl: string | null,
];

/** The span as JSON, ready to join into the batch the worker parses as one array. */
export function shipSpan(span: ReadableSpan): string {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const scope = span.instrumentationScope;
  const shipped: ShippedSpan = [
    context.traceId,
    context.spanId,
    context.traceFlags,
    context.traceState?.serialize() || null,
    parent?.spanId ?? null,
    parent?.isRemote ? 1 : 0,
    span.name,
    span.kind,
    span.startTime,
    span.endTime,
    span.status.code,
    span.status.message ?? null,
    span.attributes,
    span.links.length === 0
      ? 0
      : span.links.map(({ context: linked, attributes, droppedAttributesCount }) => [
          linked.traceId,
          linked.spanId,
          linked.traceFlags,
          linked.traceState?.serialize() || null,
          linked.isRemote ? 1 : 0,
          attributes ?? null,
          droppedAttributesCount ?? 0,
        ]),
    span.events.length === 0
      ? 0
      : span.events.map((event) => [
          event.name,
          event.time,
          event.attributes ?? null,
          event.droppedAttributesCount ?? 0,
        ]),
    span.droppedAttributesCount,
    span.droppedEventsCount,
    span.droppedLinksCount,
    scope.name,
    scope.version ?? null,
    scope.schemaUrl ?? null,
  ];
  return JSON.stringify(shipped);
}

function spanContextOf(
  traceId: string,
  spanId: string,
  traceFlags: number,
  traceState: string | null,
  isRemote: boolean,
): SpanContext {
  return {
    traceId,
    spanId,
    traceFlags,
    ...(traceState ? { traceState: traceStateOf(traceState) } : {}),
    ...(isRemote ? { isRemote: true } : {}),
  };
}

/** Hands out one scope object per distinct scope, as the serializers' grouping needs. */
export function scopeSharer(): (shipped: ShippedSpan) => InstrumentationScope {
  const scopes = new Map<string, InstrumentationScope>();
  return (shipped) => {
    const [name, version, schemaUrl] = [shipped[18], shipped[19], shipped[20]];
    const key = `${name}\n${version ?? ""}\n${schemaUrl ?? ""}`;
    let scope = scopes.get(key);
    if (!scope) {
      scope = { name, ...(version ? { version } : {}), ...(schemaUrl ? { schemaUrl } : {}) };
      scopes.set(key, scope);
    }
    return scope;
  };
}

/**
 * The ReadableSpan for the exporter. Spans of one resource and scope must share those
 * objects (the OTLP serializers group by identity), so the caller passes the one resource
 * and a scope it keeps per distinct scope.
 */
export function reviveSpan(shipped: ShippedSpan, resource: Resource, scope: InstrumentationScope): ReadableSpan {
  const [
    traceId,
    spanId,
    traceFlags,
    traceState,
    parentSpanId,
    parentIsRemote,
    name,
    kind,
    startTime,
    endTime,
    statusCode,
    statusMessage,
    attributes,
    shippedLinks,
    shippedEvents,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  ] = shipped;
  const spanContext = spanContextOf(traceId, spanId, traceFlags, traceState, false);
  const links: Link[] = (shippedLinks || []).map(
    ([linkTraceId, linkSpanId, flags, state, isRemote, linkAttributes, dropped]) => ({
      context: spanContextOf(linkTraceId, linkSpanId, flags, state, isRemote === 1),
      ...(linkAttributes ? { attributes: linkAttributes } : {}),
      ...(dropped ? { droppedAttributesCount: dropped } : {}),
    }),
  );
  const events: TimedEvent[] = (shippedEvents || []).map(([eventName, time, eventAttributes, dropped]) => ({
    name: eventName,
    time,
    ...(eventAttributes ? { attributes: eventAttributes } : {}),
    ...(dropped ? { droppedAttributesCount: dropped } : {}),
  }));
  return {
    name,
    kind,
    spanContext: () => spanContext,
    ...(parentSpanId
      ? { parentSpanContext: spanContextOf(traceId, parentSpanId, traceFlags, null, parentIsRemote === 1) }
      : {}),
    startTime,
    endTime,
    duration: hrTimeDuration(startTime, endTime),
    status: statusMessage === null ? { code: statusCode } : { code: statusCode, message: statusMessage },
    attributes,
    links,
    events,
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount,
    droppedEventsCount,
    droppedLinksCount,
  };
}
