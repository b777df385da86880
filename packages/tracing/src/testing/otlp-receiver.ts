import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeProtobufSpans } from "./otlp-protobuf.ts";

export type SpanValue = string | number | boolean | string[];

/** One span as an OTLP receiver got it, the same whichever encoding carried it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, SpanValue>;
  events: { name: string; attributes: Record<string, SpanValue> }[];
  links: { traceId: string; spanId: string }[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  resource: Record<string, SpanValue>;
}

export interface OtlpReceiver {
  /** The base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Content types of the export requests received. */
  readonly contentTypes: string[];
  /** Resolves once `predicate` holds for the received spans (polled as exports arrive). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

type JsonValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonValue[] };
};
type JsonAttributes = { key: string; value: JsonValue }[] | undefined;

function jsonValue(value: JsonValue): SpanValue {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map((item) => String(jsonValue(item)));
  return "";
}

const jsonAttributes = (list: JsonAttributes) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, jsonValue(value)]));

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: JsonAttributes;
  events?: { name: string; attributes?: JsonAttributes }[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number };
}

function decodeJsonSpans(body: string): ReceivedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans?: { resource?: { attributes?: JsonAttributes }; scopeSpans?: { spans?: JsonSpan[] }[] }[];
  };
  return (request.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        kind: span.kind ?? 0,
        attributes: jsonAttributes(span.attributes),
        events: (span.events ?? []).map((event) => ({
          name: event.name,
          attributes: jsonAttributes(event.attributes),
        })),
        links: (span.links ?? []).map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
        statusCode: span.status?.code ?? 0,
        resource: jsonAttributes(rs.resource?.attributes),
      })),
    ),
  );
}

/** An OTLP/HTTP trace receiver on a free local port, decoding http/json and http/protobuf. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const type = req.headers["content-type"] ?? "";
      contentTypes.push(type);
      try {
        if (req.url !== "/v1/traces") throw new Error(`unexpected path ${req.url}`);
        spans.push(...(type.includes("json") ? decodeJsonSpans(body.toString("utf8")) : decodeProtobufSpans(body)));
        res.writeHead(200, { "content-type": type.includes("json") ? "application/json" : "application/x-protobuf" });
        res.end(type.includes("json") ? "{}" : undefined);
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(spans)) return;
          cleanup();
          resolve(spans);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the receiver did not get the expected spans in time (${spans.length} received)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
