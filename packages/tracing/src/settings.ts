/** What the standard OTEL_* variables ask for; null when tracing is off. */
export interface TracingSettings {
  /** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  url: string;
  protocol: "http/protobuf" | "http/json";
  serviceName: string;
  sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, 0..1. */
  ratio: number;
}

export const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export class TracingSettingsError extends Error {}

/** The standard variables this reads; anything else in the environment is ignored. */
type OtelVariable =
  | "OTEL_SDK_DISABLED"
  | "OTEL_TRACES_EXPORTER"
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_PROTOCOL"
  | "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
  | "OTEL_SERVICE_NAME"
  | "OTEL_TRACES_SAMPLER"
  | "OTEL_TRACES_SAMPLER_ARG";
export type OtelEnvironment = Partial<Record<OtelVariable, unknown>>;

/**
 * Tracing is on when an OTLP endpoint is set (and OTEL_SDK_DISABLED is not true, and
 * OTEL_TRACES_EXPORTER is not none). A bad value is an error naming the variable: a
 * typo should not silently turn tracing off.
 */
export function tracingSettingsFromEnv(env: OtelEnvironment, defaultServiceName: string): TracingSettings | null {
  const read = (name: OtelVariable) => {
    const value = env[name];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  if (read("OTEL_SDK_DISABLED")?.toLowerCase() === "true") return null;
  if (read("OTEL_TRACES_EXPORTER")?.toLowerCase() === "none") return null;
  const specific = read("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const general = read("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!specific && !general) return null;
  const url = specific ?? `${general!.replace(/\/+$/, "")}/v1/traces`;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new TracingSettingsError(
      `Invalid environment variable ${specific ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"}: must be an http:// or https:// URL`,
    );
  }
  const protocol = read("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? read("OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf";
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw new TracingSettingsError(
      "Invalid environment variable OTEL_EXPORTER_OTLP_PROTOCOL: must be http/protobuf or http/json",
    );
  }
  const sampler = (read("OTEL_TRACES_SAMPLER") ?? "parentbased_always_on").toLowerCase();
  if (!(SAMPLERS as readonly string[]).includes(sampler)) {
    throw new TracingSettingsError(
      `Invalid environment variable OTEL_TRACES_SAMPLER: must be one of ${SAMPLERS.join(", ")}`,
    );
  }
  const ratioText = read("OTEL_TRACES_SAMPLER_ARG");
  const ratio = ratioText === undefined ? 1 : Number(ratioText);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new TracingSettingsError(
      "Invalid environment variable OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1",
    );
  }
  return {
    url,
    protocol,
    serviceName: read("OTEL_SERVICE_NAME") ?? defaultServiceName,
    sampler: sampler as SamplerName,
    ratio,
  };
}
