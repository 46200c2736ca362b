import { DEFAULT_PROVIDER, PROVIDER_IDS } from "@/lib/core/providers";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const tokenCapFields = ["max_tokens", "max_completion_tokens"] as const;
export type TokenCapField = (typeof tokenCapFields)[number];

/**
 * A model the gateway serves: an OpenAI-compatible upstream (or the built-in echo model)
 * under a public name, with prices in micro-units per 1M tokens.
 */
export const models = pgTable(
  "models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The public name clients send as `model`. */
    name: text("name").notNull(),
    /** `builtin:echo` for the in-process demo model, otherwise an http(s) base URL ending before `/chat/completions`. */
    baseUrl: text("base_url").notNull(),
    /** The name sent upstream; defaults to `name`. */
    upstreamModel: text("upstream_model"),
    /** The API the upstream speaks: one of lib/core/providers.ts (a text column: a new id needs no SQL). */
    provider: text("provider", { enum: PROVIDER_IDS }).notNull().default(DEFAULT_PROVIDER),
    /** What the model does: `chat` (chat, responses, completions, messages) or `embedding`. */
    kind: text("kind", { enum: ["chat", "embedding"] })
      .notNull()
      .default("chat"),
    /**
     * The upstream serves OpenAI's Responses API itself (OpenAI, recent vLLM): `/v1/responses`
     * passes through, keeping server-side state (`previous_response_id`, `store`), instead of
     * being translated onto chat completions.
     */
    nativeResponses: boolean("native_responses").notNull().default(false),
    /** The upstream credential, AES-256-GCM encrypted; never returned or logged. */
    apiKeyEncrypted: text("api_key_encrypted"),
    inputPricePerMillion: bigint("input_price_per_million", { mode: "bigint" }).notNull(),
    outputPricePerMillion: bigint("output_price_per_million", { mode: "bigint" }).notNull(),
    /** Price of input tokens read from the provider's prompt cache; null means the input price. */
    cachedInputPricePerMillion: bigint("cached_input_price_per_million", { mode: "bigint" }),
    /** Price of input tokens written to the provider's prompt cache; null means the input price. */
    cacheWritePricePerMillion: bigint("cache_write_price_per_million", { mode: "bigint" }),
    /**
     * The longest answer this model may give, or null for none: the gateway then sends no
     * cap of its own unless a key's spending limit needs one.
     */
    maxOutputTokens: integer("max_output_tokens"),
    /**
     * The request field that carries a token cap the gateway adds: `max_tokens`, or
     * `max_completion_tokens` (OpenAI's reasoning models refuse `max_tokens`). Null: the
     * provider's usual field. A cap the client sent keeps the client's field.
     */
    tokenCapField: text("token_cap_field", { enum: tokenCapFields }),
    connectTimeoutMs: integer("connect_timeout_ms").notNull().default(5000),
    firstByteTimeoutMs: integer("first_byte_timeout_ms").notNull().default(60000),
    idleTimeoutMs: integer("idle_timeout_ms").notNull().default(30000),
    enabled: boolean("enabled").notNull().default(true),
    /** Other models (by name, same kind) tried in order once this one's deployments are exhausted. */
    fallbacks: jsonb("fallbacks").$type<string[]>().notNull().default([]),
    /** Tokens; a context-length failure falls back only to models with a larger one. */
    contextWindow: integer("context_window"),
    routingStrategy: text("routing_strategy", {
      enum: ["weighted", "least_busy", "lowest_latency"],
    })
      .notNull()
      .default("weighted"),
    /** Attempts on this model's deployments before its fallbacks. */
    maxAttempts: integer("max_attempts").notNull().default(3),
    /** One deadline for the whole request, all attempts included; null: none beyond the timeouts. */
    routingTimeoutMs: integer("routing_timeout_ms"),
    /** Continue a cut stream on a deployment or fallback that accepts an assistant prefill. */
    streamResume: boolean("stream_resume").notNull().default(false),
    acceptsPrefill: boolean("accepts_prefill").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("models_name_idx").on(t.name),
    check(
      "models_prices_nonnegative",
      sql`${t.inputPricePerMillion} >= 0 and ${t.outputPricePerMillion} >= 0`,
    ),
    check(
      "models_max_output_positive",
      sql`${t.maxOutputTokens} is null or ${t.maxOutputTokens} > 0`,
    ),
    check(
      "models_token_cap_field_check",
      sql`${t.tokenCapField} is null or ${t.tokenCapField} in ('max_tokens', 'max_completion_tokens')`,
    ),
    check("models_max_attempts_positive", sql`${t.maxAttempts} between 1 and 10`),
  ],
);

export type ModelRow = typeof models.$inferSelect;
