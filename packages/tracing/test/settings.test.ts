import { describe, expect, it } from "vitest";
import { tracingSettingsFromEnv } from "../src/index.ts";

describe("tracingSettingsFromEnv", () => {
  it("is off without an endpoint, or when the SDK or the exporter is disabled", () => {
    expect(tracingSettingsFromEnv({}, "svc")).toBeNull();
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "  " }, "svc")).toBeNull();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_SDK_DISABLED: "true" }, "svc")).toBeNull();
    expect(tracingSettingsFromEnv({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }, "svc")).toBeNull();
  });

  it("reads the standard variables, with the spec's defaults", () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }, "svc")).toEqual({
      url: "http://collector:4318/v1/traces",
      protocol: "http/protobuf",
      serviceName: "svc",
      sampler: "parentbased_always_on",
      ratio: 1,
    });
    expect(
      tracingSettingsFromEnv(
        {
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://vendor.example/otlp/traces",
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_SERVICE_NAME: "shop",
          OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
          OTEL_TRACES_SAMPLER_ARG: "0.25",
        },
        "svc",
      ),
    ).toEqual({
      url: "https://vendor.example/otlp/traces",
      protocol: "http/json",
      serviceName: "shop",
      sampler: "parentbased_traceidratio",
      ratio: 0.25,
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, /PROTOCOL/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_SAMPLER: "sometimes" }, /OTEL_TRACES_SAMPLER:/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_SAMPLER_ARG: "1.5" }, /SAMPLER_ARG/],
  ])("refuses %o, naming the variable", (env, message) => {
    expect(() => tracingSettingsFromEnv(env, "svc")).toThrow(message);
  });
});
