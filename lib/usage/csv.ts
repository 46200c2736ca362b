import { formatMoney } from "@/lib/core/money";
import type { RequestRow } from "./requests";

/** The export's columns; money as decimal currency units like the API, times in ISO 8601 UTC. */
export const CSV_HEADER = [
  "time",
  "request_id",
  "key_id",
  "key_name",
  "key",
  "model",
  "endpoint",
  "streamed",
  "status",
  "error_code",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "cached_input_tokens",
  "cost",
  "cost_source",
  "latency_ms",
] as const;

/**
 * RFC 4180 quoting, plus a leading apostrophe for text that a spreadsheet would run as a
 * formula (a key named `=HYPERLINK(…)` is the user's own text and must stay text).
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: (string | number | boolean | null)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function requestCsvLine(row: RequestRow): string {
  return csvLine([
    row.at.toISOString(),
    row.requestId,
    row.keyId,
    row.keyName,
    row.keyDisplay,
    row.model,
    row.endpoint,
    row.streamed,
    row.status,
    row.errorCode,
    row.promptTokens,
    row.completionTokens,
    row.promptTokens + row.completionTokens,
    row.cachedInputTokens,
    formatMoney(row.cost),
    row.costSource,
    row.latencyMs,
  ]);
}
