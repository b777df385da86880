import { context, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { SamplerName, TracingSettings } from "./settings.ts";

/** Loaded only when tracing is on (see startTracing), so a server without it never loads the SDK. */
export interface RunningSdk {
  tracer: Tracer;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function samplerFor(name: SamplerName, ratio: number): Sampler {
  const root = name.endsWith("always_off")
    ? new AlwaysOffSampler()
    : name.endsWith("traceidratio")
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root;
}

export function startSdk(settings: TracingSettings, version: string | undefined): RunningSdk {
  const exporter: SpanExporter =
    settings.protocol === "http/json"
      ? new JsonExporter({ url: settings.url })
      : new ProtobufExporter({ url: settings.url });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": settings.serviceName,
      ...(version ? { "service.version": version } : {}),
    }),
    sampler: samplerFor(settings.sampler, settings.ratio),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  // The context manager carries the active span across awaits (AsyncLocalStorage).
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer("cartwheel", version),
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
