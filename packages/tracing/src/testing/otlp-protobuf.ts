import type { ReceivedSpan, SpanValue } from "./otlp-receiver.ts";

/**
 * A reader of the OTLP trace protobuf (opentelemetry-proto trace/v1), enough to check what
 * an exporter sent: the wire format walked field by field, fields we do not need skipped.
 */
type Fields = Map<number, (bigint | Uint8Array)[]>;

function readFields(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      if (byte === undefined) throw new Error("truncated varint");
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    let value: bigint | Uint8Array;
    switch (key & 7) {
      case 0:
        value = varint();
        break;
      case 1:
        value = bytes.subarray(at, at + 8);
        at += 8;
        break;
      case 2: {
        const length = Number(varint());
        value = bytes.subarray(at, at + length);
        at += length;
        break;
      }
      case 5:
        value = bytes.subarray(at, at + 4);
        at += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
    if (at > bytes.length || view.byteLength < at) throw new Error("truncated message");
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const all = (fields: Fields, n: number) => (fields.get(n) ?? []) as Uint8Array[];
const first = (fields: Fields, n: number) => fields.get(n)?.[0];
const text = (value: unknown) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : "");
const hex = (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString("hex") : "");

function anyValue(bytes: Uint8Array): SpanValue {
  const fields = readFields(bytes);
  if (fields.has(1)) return text(first(fields, 1));
  if (fields.has(2)) return first(fields, 2) === 1n;
  if (fields.has(3)) return Number(BigInt.asIntN(64, first(fields, 3) as bigint));
  if (fields.has(4)) return Buffer.from(first(fields, 4) as Uint8Array).readDoubleLE(0);
  if (fields.has(5)) return all(readFields(all(fields, 5)[0]!), 1).map((item) => String(anyValue(item)));
  return "";
}

function attributes(list: Uint8Array[]): Record<string, SpanValue> {
  const result: Record<string, SpanValue> = {};
  for (const entry of list) {
    const fields = readFields(entry);
    const value = first(fields, 2);
    result[text(first(fields, 1))] = value instanceof Uint8Array ? anyValue(value) : "";
  }
  return result;
}

export function decodeProtobufSpans(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of all(readFields(body), 1)) {
    const rs = readFields(resourceSpans);
    const resource = rs.has(1) ? attributes(all(readFields(all(rs, 1)[0]!), 1)) : {};
    for (const scopeSpans of all(rs, 2)) {
      for (const spanBytes of all(readFields(scopeSpans), 2)) {
        const span = readFields(spanBytes);
        const status = span.has(15) ? readFields(all(span, 15)[0]!) : new Map();
        spans.push({
          traceId: hex(first(span, 1)),
          spanId: hex(first(span, 2)),
          parentSpanId: hex(first(span, 4)) || undefined,
          name: text(first(span, 5)),
          kind: Number(first(span, 6) ?? 0n),
          attributes: attributes(all(span, 9)),
          events: all(span, 11).map((event) => {
            const fields = readFields(event);
            return { name: text(first(fields, 2)), attributes: attributes(all(fields, 3)) };
          }),
          links: all(span, 13).map((link) => {
            const fields = readFields(link);
            return { traceId: hex(first(fields, 1)), spanId: hex(first(fields, 2)) };
          }),
          statusCode: Number(first(status as Fields, 3) ?? 0n),
          resource,
        });
      }
    }
  }
  return spans;
}
