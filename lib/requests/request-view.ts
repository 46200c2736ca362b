import { formatMoney } from "@/lib/core/money";
import type { RequestDetail } from "./request-detail";
import type { RequestRow } from "./request-row";
import type { RequestDetailObject, RequestSummaryObject } from "./schemas";

/** The API's JSON of a request (an allow-list of fields: snake_case, money as decimal strings). */
export function toRequestSummaryObject(row: RequestRow): RequestSummaryObject {
  return {
    object: "request",
    id: row.id,
    request_id: row.requestId,
    created_at: row.at.toISOString(),
    key:
      row.keyId && row.keyName && row.keyDisplay
        ? { id: row.keyId, name: row.keyName, display: row.keyDisplay }
        : null,
    user_id: row.userId,
    team_id: row.teamId,
    model: row.model,
    endpoint: row.endpoint,
    streamed: row.streamed,
    status: row.status,
    error_code: row.errorCode,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cost: formatMoney(row.cost),
    latency_ms: row.latencyMs,
    attempt_count: row.attempts.length,
    payload_captured: row.payloadCaptured,
  };
}

/**
 * Queue, time to first byte, total and tokens per second, from what the usage row kept.
 * upstream_ms runs from the start of the attempt that answered, so "queue" holds the checks,
 * the limits, any wait for a deployment and the failed attempts before it.
 */
export function timingsOf(row: RequestRow) {
  const queue = row.upstreamMs === null ? null : Math.max(0, row.latencyMs - row.upstreamMs);
  // Generation time: from the first byte to the end (a non-stream's first byte is its end,
  // so it is measured over the whole upstream time instead).
  const generationMs =
    row.streamed && row.ttfbMs !== null && row.upstreamMs !== null
      ? row.upstreamMs - row.ttfbMs
      : row.upstreamMs;
  const tokensPerSecond =
    row.completionTokens > 0 && generationMs && generationMs > 0
      ? Math.round((row.completionTokens / generationMs) * 1000 * 10) / 10
      : null;
  return {
    queue_ms: queue,
    ttfb_ms: row.ttfbMs,
    upstream_ms: row.upstreamMs,
    total_ms: row.latencyMs,
    tokens_per_second: tokensPerSecond,
  };
}

/** Tokens by kind × the model's prices: the recorded cost, explained. */
export function costLinesOf(detail: RequestDetail) {
  if (!detail.prices || detail.costSource === "none") return [];
  const p = detail.prices;
  const cached = Math.min(detail.cachedInputTokens, detail.promptTokens);
  const written = Math.min(detail.cacheWriteTokens, detail.promptTokens - cached);
  const lines = [
    {
      kind: "input" as const,
      tokens: detail.promptTokens - cached - written,
      price: p.inputPricePerMillion,
    },
    {
      kind: "cached_input" as const,
      tokens: cached,
      price: p.cachedInputPricePerMillion ?? p.inputPricePerMillion,
    },
    {
      kind: "cache_write" as const,
      tokens: written,
      price: p.cacheWritePricePerMillion ?? p.inputPricePerMillion,
    },
    { kind: "output" as const, tokens: detail.completionTokens, price: p.outputPricePerMillion },
  ];
  return lines
    .filter((line) => line.tokens > 0 || line.kind === "input" || line.kind === "output")
    .map((line) => ({
      kind: line.kind,
      tokens: line.tokens,
      price_per_million: formatMoney(line.price),
    }));
}

export function toRequestDetailObject(detail: RequestDetail): RequestDetailObject {
  const answered = detail.deploymentId !== null;
  return {
    ...toRequestSummaryObject(detail),
    user: detail.user,
    team: detail.team,
    // The usage row names the model that answered (or was tried last); the first attempt's
    // model is the one asked for when a fallback answered.
    model_asked: detail.attempts[0]?.model ?? detail.model,
    model_answered: answered ? detail.model : null,
    deployment: detail.deploymentId
      ? { id: detail.deploymentId, provider: detail.deploymentProvider }
      : null,
    attempts: detail.attempts.map((a) => ({
      deployment_id: a.deployment,
      model: a.model,
      outcome: a.outcome,
      status: a.status,
      ttfb_ms: a.ttfbMs,
      prompt_tokens: a.promptTokens,
      completion_tokens: a.completionTokens,
    })),
    timings: timingsOf(detail),
    tokens: {
      prompt: detail.promptTokens,
      completion: detail.completionTokens,
      cached_input: detail.cachedInputTokens,
      cache_write: detail.cacheWriteTokens,
      total: detail.promptTokens + detail.completionTokens,
    },
    cost_detail: {
      amount: formatMoney(detail.cost),
      source: detail.costSource,
      lines: costLinesOf(detail),
    },
    client: { ip: detail.clientIp, user_agent: detail.userAgent },
    payload: detail.payload
      ? {
          request_headers: detail.payload.requestHeaders,
          request_body: detail.payload.requestBody,
          request_truncated: detail.payload.requestTruncated,
          response_body: detail.payload.responseBody,
          response_truncated: detail.payload.responseTruncated,
          captured_at: detail.payload.createdAt.toISOString(),
        }
      : null,
  };
}
