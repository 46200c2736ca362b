import { sql } from "drizzle-orm";
import type { UsageAttempt } from "@/db/schema/usage";
import { maskKey } from "@/lib/keys/format";

/** One usage row as the request explorer reads it (list and detail). */
export interface RequestRow {
  id: string;
  requestId: string;
  at: Date;
  keyId: string | null;
  keyName: string | null;
  keyDisplay: string | null;
  userId: string | null;
  teamId: string | null;
  modelId: string | null;
  model: string;
  endpoint: string;
  streamed: boolean;
  status: number;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cost: bigint;
  costSource: "upstream" | "estimate" | "none";
  latencyMs: number;
  upstreamMs: number | null;
  ttfbMs: number | null;
  deploymentId: string | null;
  attempts: UsageAttempt[];
  clientIp: string | null;
  userAgent: string | null;
  payloadCaptured: boolean;
}

/** The usage columns every branch of the list selects (snake_case, read back by `toRequestRow`). */
export const rowColumnsSql = sql.raw(
  [
    "id",
    "request_id",
    "created_at",
    "created_at::text as cursor_at",
    "key_id",
    "user_id",
    "team_id",
    "model_id",
    "model",
    "endpoint",
    "streamed",
    "status",
    "error_code",
    "prompt_tokens",
    "completion_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "cost",
    "cost_source",
    "latency_ms",
    "upstream_ms",
    "ttfb_ms",
    "deployment_id",
    "attempts",
    "client_ip",
    "user_agent",
  ].join(", "),
);

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toRequestRow(raw: Record<string, unknown>): RequestRow {
  const prefix = raw.key_prefix as string | null;
  const last4 = raw.key_last4 as string | null;
  const attempts = raw.attempts;
  return {
    id: String(raw.id),
    requestId: String(raw.request_id),
    at: new Date(raw.created_at as string | Date),
    keyId: (raw.key_id as string | null) ?? null,
    keyName: (raw.key_name as string | null) ?? null,
    keyDisplay: prefix && last4 ? maskKey(prefix, last4) : null,
    userId: (raw.user_id as string | null) ?? null,
    teamId: (raw.team_id as string | null) ?? null,
    modelId: (raw.model_id as string | null) ?? null,
    model: String(raw.model),
    endpoint: String(raw.endpoint),
    streamed: Boolean(raw.streamed),
    status: Number(raw.status),
    errorCode: (raw.error_code as string | null) ?? null,
    promptTokens: Number(raw.prompt_tokens),
    completionTokens: Number(raw.completion_tokens),
    cachedInputTokens: Number(raw.cached_input_tokens),
    cacheWriteTokens: Number(raw.cache_write_tokens),
    cost: BigInt(raw.cost as string | number | bigint),
    costSource: raw.cost_source as RequestRow["costSource"],
    latencyMs: Number(raw.latency_ms),
    upstreamMs: num(raw.upstream_ms),
    ttfbMs: num(raw.ttfb_ms),
    deploymentId: (raw.deployment_id as string | null) ?? null,
    // PGlite and node-postgres both parse jsonb; a string would be an older driver's.
    attempts: attemptsOf(raw, attempts),
    clientIp: (raw.client_ip as string | null) ?? null,
    userAgent: (raw.user_agent as string | null) ?? null,
    payloadCaptured: raw.payload_captured === true || raw.payload_captured === "t",
  };
}

/**
 * The attempt loop lists attempts only once there is more than one; a request answered by
 * its first deployment is one attempt, rebuilt here from the row so every detail lists it.
 */
function attemptsOf(raw: Record<string, unknown>, stored: unknown): UsageAttempt[] {
  // PGlite and postgres.js both parse jsonb; a string would be an older driver's.
  const list = (typeof stored === "string" ? JSON.parse(stored) : stored) as UsageAttempt[] | null;
  if (list && list.length > 0) return list;
  if (!raw.deployment_id) return [];
  return [
    {
      deployment: String(raw.deployment_id),
      model: String(raw.model),
      outcome: "ok",
      status: Number(raw.status),
      ttfbMs: num(raw.ttfb_ms),
      promptTokens: Number(raw.prompt_tokens),
      completionTokens: Number(raw.completion_tokens),
    },
  ];
}
