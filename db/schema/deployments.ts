import { DEFAULT_PROVIDER, PROVIDER_IDS } from "@/lib/core/providers";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { models } from "./models";

/**
 * The servers that can answer a model (PRODUCT.md "Routing"): the same model on several
 * machines or providers. A model registered the old way (one base URL) has exactly one,
 * whose id is the model's own id (the migration made it so, and keeps credentials as they
 * were stored: encrypted, never decrypted by SQL).
 */
export const modelDeployments = pgTable(
  "model_deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    modelId: uuid("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** One of lib/core/providers.ts (a text column: a new id needs no SQL). */
    provider: text("provider", { enum: PROVIDER_IDS }).notNull().default(DEFAULT_PROVIDER),
    /** `builtin:echo` for the in-process demo model, otherwise an http(s) base URL. */
    baseUrl: text("base_url").notNull(),
    /** The name sent upstream; null: the model's public name. */
    upstreamModel: text("upstream_model"),
    /** The upstream serves OpenAI's Responses API itself (passes through untranslated). */
    nativeResponses: boolean("native_responses").notNull().default(false),
    /** AES-256-GCM (lib/models/credential-crypto.ts); write-only, never returned or logged. */
    apiKeyEncrypted: text("api_key_encrypted"),
    /** Share of traffic within its priority tier. */
    weight: integer("weight").notNull().default(1),
    /** 0 first; a higher tier is used only while every deployment before it is unavailable. */
    priority: integer("priority").notNull().default(0),
    requestsPerMinute: integer("requests_per_minute"),
    tokensPerMinute: integer("tokens_per_minute"),
    connectTimeoutMs: integer("connect_timeout_ms").notNull().default(5000),
    firstByteTimeoutMs: integer("first_byte_timeout_ms").notNull().default(60000),
    idleTimeoutMs: integer("idle_timeout_ms").notNull().default(30000),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("model_deployments_model_idx").on(t.modelId),
    check("model_deployments_weight_positive", sql`${t.weight} > 0`),
    check("model_deployments_priority_nonnegative", sql`${t.priority} >= 0`),
  ],
);

export type DeploymentRow = typeof modelDeployments.$inferSelect;

/**
 * A deployment's circuit breaker, shared by every process on this database (Redis holds
 * the same when REDIS_URL is set). Processes cache it and hear changes through
 * LISTEN/NOTIFY, so no request reads it.
 */
export const deploymentBreakers = pgTable("deployment_breakers", {
  deploymentId: uuid("deployment_id")
    .primaryKey()
    .references(() => modelDeployments.id, { onDelete: "cascade" }),
  /** Transient failures in a row since the last success. */
  failures: integer("failures").notNull().default(0),
  /** No traffic until then (null: closed). */
  openUntil: timestamp("open_until", { withTimezone: true }),
  /** The cooldown the next failed probe doubles (5 s → 60 s). */
  cooldownMs: integer("cooldown_ms").notNull().default(0),
  /** The process holding the one probe, and until when its claim holds. */
  probeHolder: text("probe_holder"),
  probeUntil: timestamp("probe_until", { withTimezone: true }),
  /** Our credential was refused (401/403): unhealthy until a success. */
  unhealthy: boolean("unhealthy").notNull().default(false),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type BreakerRow = typeof deploymentBreakers.$inferSelect;

/**
 * A deployment's own requests/tokens per minute (PRODUCT.md "Routing": "counted across
 * processes like a key's limits; the gateway never sends more"), one row per UTC minute,
 * claimed in slices exactly as a key's rate_limit_windows are (lib/gateway/stores/rate-limit,
 * lease-sql.ts). Redis holds the same counters when REDIS_URL is set.
 */
export const deploymentRateWindows = pgTable(
  "deployment_rate_windows",
  {
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => modelDeployments.id, { onDelete: "cascade" }),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    requests: integer("requests").notNull().default(0),
    tokens: bigint("tokens", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.windowStart] }),
    index("deployment_rate_windows_start_idx").on(t.windowStart),
    check("deployment_rate_windows_nonnegative", sql`${t.requests} >= 0 and ${t.tokens} >= 0`),
  ],
);

/**
 * Requests in flight per deployment, as each process last reported them (about once a
 * second while it has traffic), so that `least_busy` counts across processes (PRODUCT.md
 * "Routing": "fewest requests in flight across processes"). A row older than a few seconds
 * is ignored: a process that died stops counting once its report is stale.
 */
export const deploymentLoad = pgTable(
  "deployment_load",
  {
    holder: text("holder").notNull(),
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => modelDeployments.id, { onDelete: "cascade" }),
    inFlight: integer("in_flight").notNull(),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.holder, t.deploymentId] })],
);
