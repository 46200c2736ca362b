import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

/**
 * The OTLP exporter, with its failures told to the operator: the SDK reports them only
 * through its own diagnostics logger, which is silent unless set up, so a collector that is
 * down would go unnoticed. Told at most once a minute (with how many exports failed since),
 * so that a collector down for a day is a line a minute, not a line per batch.
 */
const REPORT_EVERY_MS = 60_000;

export class ReportingExporter implements SpanExporter {
  private lastReport = 0;
  private failedSince = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly report: (error: Error | undefined, failedExports: number) => void,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.failedSince++;
        const now = Date.now();
        if (now - this.lastReport >= REPORT_EVERY_MS) {
          this.lastReport = now;
          this.report(result.error, this.failedSince);
          this.failedSince = 0;
        }
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
