import { telemetrySettings } from "@/lib/env";
import { processSingleton } from "@/lib/singleton";
import type { Tracing } from "./start-tracing";
import { tracingConfig, type TracingConfig } from "./tracing-config";

/**
 * The process's tracing, from the OTEL_* variables: null when they set no endpoint, and
 * then the SDK is never loaded (the import below is lazy) and the gateway's hot path
 * checks one null per request. One per process, shared by server.ts's gateway and Next's.
 */
export function processTracing(
  log: (line: Record<string, unknown>) => void,
): Promise<Tracing | null> {
  return processSingleton("telemetry.tracing", () =>
    createTracing(tracingConfig(telemetrySettings()), log),
  );
}

export async function createTracing(
  config: TracingConfig | null,
  log: (line: Record<string, unknown>) => void,
): Promise<Tracing | null> {
  if (!config) return null;
  const { startTracing } = await import("./start-tracing");
  let host = "";
  try {
    host = new URL(config.url).host;
  } catch {
    // zod checked it is a URL.
  }
  log({
    level: "info",
    msg: "tracing on",
    otlp_host: host,
    protocol: config.protocol,
    sampler: config.sampler,
  });
  return startTracing(config, (error, failedExports) =>
    log({
      level: "warn",
      msg: "trace export failed",
      otlp_host: host,
      failed_exports: failedExports,
      error: error?.message ?? "unknown",
    }),
  );
}
