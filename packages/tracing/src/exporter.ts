import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { TracingSettings } from "./settings.ts";

/** The OTLP/HTTP exporter for the configured protocol; it reads the other OTEL_EXPORTER_OTLP_* variables itself. */
export function exporterFor({ url, protocol }: Pick<TracingSettings, "url" | "protocol">): SpanExporter {
  return protocol === "http/json" ? new JsonExporter({ url }) : new ProtobufExporter({ url });
}
