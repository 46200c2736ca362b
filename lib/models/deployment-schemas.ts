import { z } from "zod";
import type { BreakerRow, DeploymentRow } from "@/db/schema";
import { plainString } from "@/lib/core/plain-text";
import { breakerLabel, type BreakerState } from "@/lib/models/breaker-rules";
import { httpUrl, isBuiltinModelUrl, MODEL_PROVIDERS, timeout } from "./schemas";

/**
 * What `/api/v1/models/{id}/deployments` accepts and returns (PRODUCT.md "Routing").
 * `api_key` is write-only: the view says only whether one is set.
 */
const perMinute = z.number().int().min(1).max(100_000_000).nullish();

const optionalDeploymentFields = {
  provider: z.enum(MODEL_PROVIDERS).optional(),
  upstream_model: plainString().trim().min(1).max(256).nullish(),
  api_key: plainString().min(1).max(4096).nullish(),
  native_responses: z.boolean().optional(),
  weight: z.number().int().min(1).max(1000).optional(),
  priority: z.number().int().min(0).max(100).optional(),
  requests_per_minute: perMinute,
  tokens_per_minute: perMinute,
  connect_timeout_ms: timeout.optional(),
  first_byte_timeout_ms: timeout.optional(),
  idle_timeout_ms: timeout.optional(),
  enabled: z.boolean().optional(),
};

export const createDeploymentInput = z.strictObject({
  base_url: httpUrl,
  ...optionalDeploymentFields,
});
export type CreateDeploymentInput = z.infer<typeof createDeploymentInput>;

export const updateDeploymentInput = z.strictObject({
  base_url: httpUrl.optional(),
  ...optionalDeploymentFields,
});
export type UpdateDeploymentInput = z.infer<typeof updateDeploymentInput>;

export type DeploymentState = "healthy" | "cooling_down" | "probing" | "unhealthy" | "disabled";

export interface DeploymentView {
  id: string;
  provider: (typeof MODEL_PROVIDERS)[number];
  base_url: string;
  upstream_model: string;
  has_api_key: boolean;
  builtin: boolean;
  native_responses: boolean;
  weight: number;
  priority: number;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  connect_timeout_ms: number;
  first_byte_timeout_ms: number;
  idle_timeout_ms: number;
  enabled: boolean;
  state: DeploymentState;
  /** While cooling down: when it may be tried again. */
  cooling_until: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

export function breakerStateOf(row: BreakerRow | undefined): BreakerState | undefined {
  if (!row) return undefined;
  return {
    failures: row.failures,
    openUntil: row.openUntil?.getTime() ?? null,
    cooldownMs: row.cooldownMs,
    probeHolder: row.probeHolder,
    probeUntil: row.probeUntil?.getTime() ?? null,
    unhealthy: row.unhealthy,
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.getTime() ?? null,
  };
}

/** The allow-list of what leaves the server about a deployment: never the credential. */
export function toDeploymentView(
  row: DeploymentRow,
  modelName: string,
  breaker: BreakerRow | undefined,
  now = Date.now(),
): DeploymentView {
  const state = breakerStateOf(breaker);
  const open = state?.openUntil != null && state.openUntil > now;
  return {
    id: row.id,
    provider: row.provider,
    base_url: row.baseUrl,
    upstream_model: row.upstreamModel ?? modelName,
    has_api_key: row.apiKeyEncrypted !== null,
    builtin: isBuiltinModelUrl(row.baseUrl),
    native_responses: row.nativeResponses,
    weight: row.weight,
    priority: row.priority,
    requests_per_minute: row.requestsPerMinute,
    tokens_per_minute: row.tokensPerMinute,
    connect_timeout_ms: row.connectTimeoutMs,
    first_byte_timeout_ms: row.firstByteTimeoutMs,
    idle_timeout_ms: row.idleTimeoutMs,
    enabled: row.enabled,
    state: row.enabled ? breakerLabel(state, now) : "disabled",
    cooling_until: open ? new Date(state.openUntil!).toISOString() : null,
    last_error: state?.lastError ?? null,
    last_error_at: state?.lastErrorAt ? new Date(state.lastErrorAt).toISOString() : null,
  };
}
