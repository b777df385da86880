import { context, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { PooledIdGenerator } from "./id-generator.ts";
import type { SamplerName, TracingSettings } from "./settings.ts";
import { ExportThreadSpanProcessor } from "./span-export-thread.ts";

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

export function startSdk(
  settings: TracingSettings,
  version: string | undefined,
  onExportStopped: ((error: Error) => void) | undefined,
): RunningSdk {
  const resource = {
    "service.name": settings.serviceName,
    ...(version ? { "service.version": version } : {}),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    sampler: samplerFor(settings.sampler, settings.ratio),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [new ExportThreadSpanProcessor(settings, resource, { onStopped: onExportStopped })],
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
