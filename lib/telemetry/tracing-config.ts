import type { TelemetryEnv } from "@/lib/env";

/**
 * What the standard OTEL_* variables ask for (lib/env.ts parses and documents them), or
 * null: tracing is off when no endpoint is set, when OTEL_SDK_DISABLED is true or
 * OTEL_TRACES_EXPORTER is `none`. Off means the OpenTelemetry SDK is never even loaded.
 */
export interface TracingConfig {
  url: string;
  protocol: "http/protobuf" | "http/json";
  /** `name=value,…` lists (general, then traces-only); may hold an API key: never logged. */
  headers: [string | undefined, string | undefined];
  timeoutMs: number;
  compression: "none" | "gzip";
  serviceName: string;
  /** `key=value,…` (OTEL_RESOURCE_ATTRIBUTES), parsed with the SDK when tracing starts. */
  resourceAttributes: string | undefined;
  sampler: TelemetryEnv["OTEL_TRACES_SAMPLER"];
  samplerRatio: number;
  batch: {
    scheduledDelayMillis: number;
    maxQueueSize: number;
    maxExportBatchSize: number;
    exportTimeoutMillis: number;
  };
}

export function tracingConfig(env: TelemetryEnv): TracingConfig | null {
  if (env.OTEL_SDK_DISABLED || env.OTEL_TRACES_EXPORTER === "none") return null;
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`
      : null);
  if (!url) return null;
  return {
    url,
    protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL,
    headers: [env.OTEL_EXPORTER_OTLP_HEADERS, env.OTEL_EXPORTER_OTLP_TRACES_HEADERS],
    timeoutMs: env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? env.OTEL_EXPORTER_OTLP_TIMEOUT,
    compression: env.OTEL_EXPORTER_OTLP_COMPRESSION,
    serviceName: env.OTEL_SERVICE_NAME,
    resourceAttributes: env.OTEL_RESOURCE_ATTRIBUTES,
    sampler: env.OTEL_TRACES_SAMPLER,
    samplerRatio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
    batch: {
      scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
      maxQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: Math.min(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, env.OTEL_BSP_MAX_QUEUE_SIZE),
      exportTimeoutMillis: env.OTEL_BSP_EXPORT_TIMEOUT,
    },
  };
}
