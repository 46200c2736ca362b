import type { RequestTrace } from "./trace-types";

/** A traced request's log lines name its trace and span, so a log search finds the trace. */
export function traceFields(ctx: {
  trace: RequestTrace | null;
}): { trace_id: string; span_id: string } | null {
  const trace = ctx.trace;
  return trace ? { trace_id: trace.traceId, span_id: trace.spanId } : null;
}
