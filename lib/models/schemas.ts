import { PROVIDER_IDS } from "@/lib/core/providers";
import { z } from "zod";
import { plainString } from "@/lib/core/plain-text";
import { formatMoney, parseMoney } from "@/lib/core/money";
import type { ModelRow } from "@/db/schema";
import { tokenCapFields, type TokenCapField } from "@/db/schema/models";
import { env } from "@/lib/env";
import { defaultTokenCapField } from "./token-cap-field";
import { forbiddenUpstreamReason } from "./upstream-address";
import type { DeploymentView } from "./deployment-schemas";

/**
 * What `/api/v1/models` accepts and returns. snake_case on the wire; prices are decimal
 * strings per 1M tokens (numbers accepted); `api_key` is write-only: the view only says
 * whether one is set.
 */
export const BUILTIN_ECHO_URL = "builtin:echo";

/** A model served in-process (the echo model): its name, URL, provider and kind are fixed. */
export const isBuiltinModelUrl = (baseUrl: string) => baseUrl.startsWith("builtin:");

const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const micros = parseMoney(value);
  if (micros === null || micros < 0n) {
    ctx.addIssue({
      code: "custom",
      message: 'must be a non-negative amount with at most 6 decimals, like "1.50"',
    });
    return z.NEVER;
  }
  return micros;
});

export const httpUrl = plainString()
  .trim()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), "must be an http:// or https:// URL")
  .superRefine((value, ctx) => {
    if (env().ALLOW_LINK_LOCAL_UPSTREAMS) return;
    const reason = forbiddenUpstreamReason(value);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  })
  // Stored without a trailing slash so that `${base}/chat/completions` is always one slash.
  .transform((value) => value.replace(/\/+$/, ""));

export const timeout = z.number().int().min(100).max(600_000);

export const MODEL_PROVIDERS = PROVIDER_IDS;
export const MODEL_KINDS = ["chat", "embedding"] as const;
export const ROUTING_STRATEGIES = ["weighted", "least_busy", "lowest_latency"] as const;
const provider = z.enum(MODEL_PROVIDERS);
const kind = z.enum(MODEL_KINDS);

export const modelName = plainString()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[\w.:/@-]+$/, "may contain letters, digits and . _ - : / @ only");

/** What a model may also say on create and on change; absent leaves it unset or unchanged. */
const optionalModelFields = {
  upstream_model: plainString().trim().min(1).max(256).nullish(),
  /** The upstream's credential (write-only); on change, null removes it. */
  api_key: plainString().min(1).max(4096).nullish(),
  provider: provider.optional(),
  kind: kind.optional(),
  native_responses: z.boolean().optional(),
  /** Null: cached input is priced as input. */
  cached_input_price_per_million: money.nullish(),
  cache_write_price_per_million: money.nullish(),
  /** null: the model sets no cap of its own (see lib/gateway/pipeline/token-cap.ts). */
  max_output_tokens: z.number().int().min(1).max(10_000_000).nullish(),
  /** The field a cap the gateway adds is sent in; null: the provider's usual one. */
  token_cap_field: z.enum(tokenCapFields).nullish(),
  connect_timeout_ms: timeout.optional(),
  first_byte_timeout_ms: timeout.optional(),
  idle_timeout_ms: timeout.optional(),
  enabled: z.boolean().optional(),
  /** Other models tried in order once this one's deployments are exhausted (PRODUCT.md "Routing"). */
  fallbacks: z.array(modelName).max(5).optional(),
  context_window: z.number().int().min(1).max(100_000_000).nullish(),
  routing: z
    .strictObject({
      strategy: z.enum(ROUTING_STRATEGIES).optional(),
      max_attempts: z.number().int().min(1).max(10).optional(),
      timeout_ms: z.number().int().min(100).max(3_600_000).nullish(),
    })
    .optional(),
  stream_resume: z.boolean().optional(),
  accepts_prefill: z.boolean().optional(),
};

export const createModelInput = z.strictObject({
  name: modelName,
  base_url: httpUrl,
  input_price_per_million: money,
  output_price_per_million: money,
  ...optionalModelFields,
});
export type CreateModelInput = z.infer<typeof createModelInput>;

export const updateModelInput = z.strictObject({
  name: modelName.optional(),
  base_url: httpUrl.optional(),
  input_price_per_million: money.optional(),
  output_price_per_million: money.optional(),
  ...optionalModelFields,
});
export type UpdateModelInput = z.infer<typeof updateModelInput>;

export interface ModelView {
  id: string;
  name: string;
  base_url: string;
  upstream_model: string;
  builtin: boolean;
  has_api_key: boolean;
  provider: (typeof MODEL_PROVIDERS)[number];
  kind: (typeof MODEL_KINDS)[number];
  native_responses: boolean;
  input_price_per_million: string;
  output_price_per_million: string;
  /** Null: priced as input. */
  cached_input_price_per_million: string | null;
  cache_write_price_per_million: string | null;
  max_output_tokens: number | null;
  token_cap_field: TokenCapField;
  connect_timeout_ms: number;
  first_byte_timeout_ms: number;
  idle_timeout_ms: number;
  enabled: boolean;
  fallbacks: string[];
  context_window: number | null;
  routing: {
    strategy: (typeof ROUTING_STRATEGIES)[number];
    max_attempts: number;
    timeout_ms: number | null;
  };
  stream_resume: boolean;
  accepts_prefill: boolean;
  /** Its deployments (PRODUCT.md "Routing"), by priority; the first is the one-base-URL shape's. */
  deployments: DeploymentView[];
  created_at: string;
  updated_at: string;
}

/** The allow-list of what leaves the server about a model: never the credential. */
export function toModelView(row: ModelRow, deployments: DeploymentView[] = []): ModelView {
  return {
    id: row.id,
    name: row.name,
    base_url: row.baseUrl,
    upstream_model: row.upstreamModel ?? row.name,
    builtin: isBuiltinModelUrl(row.baseUrl),
    has_api_key: row.apiKeyEncrypted !== null,
    provider: row.provider,
    kind: row.kind,
    native_responses: row.nativeResponses,
    input_price_per_million: formatMoney(row.inputPricePerMillion),
    output_price_per_million: formatMoney(row.outputPricePerMillion),
    cached_input_price_per_million:
      row.cachedInputPricePerMillion === null ? null : formatMoney(row.cachedInputPricePerMillion),
    cache_write_price_per_million:
      row.cacheWritePricePerMillion === null ? null : formatMoney(row.cacheWritePricePerMillion),
    max_output_tokens: row.maxOutputTokens,
    token_cap_field: row.tokenCapField ?? defaultTokenCapField(),
    connect_timeout_ms: row.connectTimeoutMs,
    first_byte_timeout_ms: row.firstByteTimeoutMs,
    idle_timeout_ms: row.idleTimeoutMs,
    enabled: row.enabled,
    fallbacks: row.fallbacks,
    context_window: row.contextWindow,
    routing: {
      strategy: row.routingStrategy,
      max_attempts: row.maxAttempts,
      timeout_ms: row.routingTimeoutMs,
    },
    stream_resume: row.streamResume,
    accepts_prefill: row.acceptsPrefill,
    deployments,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
