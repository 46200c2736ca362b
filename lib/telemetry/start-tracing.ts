import type { Tracer } from "@opentelemetry/api";
import { parseKeyPairsIntoRecord } from "@opentelemetry/core";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from "@opentelemetry/sdk-trace";
import type { TracingConfig } from "./tracing-config";
import { ReportingExporter } from "./reporting-exporter";

/**
 * The OpenTelemetry SDK, the lightweight way: a tracer provider, one BatchSpanProcessor and
 * an OTLP/HTTP exporter, and no auto-instrumentation (it patches node:http and undici for
 * every request, and the gateway makes its own spans where it knows what they mean). Loaded
 * only when tracing is on (process-tracing.ts imports this module lazily).
 *
 * Off the request path by construction: a request's span ends into an in-memory queue
 * (bounded: OTEL_BSP_MAX_QUEUE_SIZE, spans past it are dropped); the processor exports from
 * a timer, one batch at a time, each export bounded by OTEL_EXPORTER_OTLP_TIMEOUT. A
 * collector that is down or never answers costs failed exports and dropped spans, never a
 * request's time.
 */
export interface Tracing {
  tracer: Tracer;
  /** Exports what is queued (tests; shutdown). Bounded: never waits past `timeoutMs`. */
  flush(timeoutMs?: number): Promise<void>;
  shutdown(timeoutMs?: number): Promise<void>;
}

export function startTracing(
  config: TracingConfig,
  onExportFailure: (error: Error | undefined, failedExports: number) => void,
): Tracing {
  const exporterConfig = {
    url: config.url,
    headers: {
      ...parseKeyPairsIntoRecord(config.headers[0]),
      ...parseKeyPairsIntoRecord(config.headers[1]),
    },
    timeoutMillis: config.timeoutMs,
    compression: config.compression,
  } as const;
  const exporter = new ReportingExporter(
    config.protocol === "http/json"
      ? new JsonExporter(exporterConfig as ConstructorParameters<typeof JsonExporter>[0])
      : new ProtobufExporter(exporterConfig as ConstructorParameters<typeof ProtobufExporter>[0]),
    onExportFailure,
  );
  const provider = new TracerProvider({
    sampler: samplerOf(config),
    resource: defaultResource().merge(
      resourceFromAttributes({
        ...parseKeyPairsIntoRecord(config.resourceAttributes),
        // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (the spec's rule).
        "service.name": config.serviceName,
      }),
    ),
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.batch })],
  });
  const bounded = (work: Promise<void>, timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      work.then(
        () => (clearTimeout(timer), resolve()),
        () => (clearTimeout(timer), resolve()),
      );
    });
  return {
    tracer: provider.getTracer("modelbridge"),
    flush: (timeoutMs = 5_000) => bounded(provider.forceFlush(), timeoutMs),
    shutdown: (timeoutMs = 5_000) => bounded(provider.shutdown(), timeoutMs),
  };
}

function samplerOf(config: TracingConfig): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
