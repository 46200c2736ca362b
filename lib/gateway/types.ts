import type { ProviderId } from "@/lib/core/providers";
import type { BudgetPeriod } from "@/db/schema/api-keys";
import type { TokenCapField } from "@/db/schema/models";
import type { UsageAttempt } from "@/db/schema/usage";
import type { compileAllowlist } from "@/lib/keys/ip-allowlist";
import type { ClientSignal } from "./client-signal";

/**
 * The gateway's own request/response shapes, so that the core serves node:http (server.ts)
 * and Web Request/Response (App Router route handlers) alike without knowing either.
 */
export interface GatewayRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The query string with its `?` (`?beta=true`), or empty; passed on to a same-protocol upstream. */
  query?: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The raw body: read lazily so that an oversized one is refused before it is all read. */
  body: AsyncIterable<Uint8Array> | Uint8Array | null;
  /** Aborts when the client goes away. */
  signal: ClientSignal;
}

/** A stream yields text the gateway wrote, or an upstream's bytes forwarded as they came. */
export type GatewayBody = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * A stream body must be iterated to the end or closed with `return()`; the adapters do
   * so, and closing early (client gone) is what aborts the upstream and settles the cost.
   */
  body: GatewayBody;
}

/** The authenticated key, as cached in memory. Money in micro-units. */
export interface KeyRecord {
  id: string;
  type: "model_serving" | "management";
  createdBy: string;
  teamId: string | null;
  spendingLimit: bigint | null;
  /** Settled spend as last seen by this process; the database is the authority for limits. */
  spend: bigint;
  expiresAt: Date | null;
  revokedAt: Date | null;
  ownerDisabled: boolean;
  pausedAt: Date | null;
  /** Null: every model. */
  allowedModels: ReadonlySet<string> | null;
  /** Null: any address. Compiled once per cached key. */
  ipRanges: ReturnType<typeof compileAllowlist> | null;
  /** Null when the key has no rate limit at all. */
  rateLimits: KeyRateLimits | null;
  budgetPeriod: BudgetPeriod;
  /** Start of the period `periodSpend` counts, as last seen; a later boundary means nothing spent yet. */
  periodStart: Date | null;
  periodSpend: bigint;
  /**
   * Set when the request came with the secret a roll replaced: when that secret stops
   * working (a past time: refused with key_rotated). Null for the current secret.
   */
  previousSecretUntil: Date | null;
  /** Payload capture in force for this key (its own, else its team's, else the instance's); absent: off. */
  payloadCapture?: { sampleRate: number } | null;
}

export interface KeyRateLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  maxConcurrent: number | null;
}

/** The token cap a request carries upstream (pipeline/token-cap.ts decides it). */
export interface TokenCap {
  field: TokenCapField | null;
  /** Per choice; null: send none. */
  tokens: number | null;
}

/** A model as the gateway needs it, credential decrypted (kept in memory only). */
export interface ResolvedModel {
  id: string;
  name: string;
  kind: "builtin-echo" | "http";
  /** The API its upstream speaks (the built-in echo model speaks OpenAI's chat). */
  provider: ProviderId;
  /** What it serves: chat models answer chat, responses and completions; embedding models embeddings. */
  serves: "chat" | "embedding";
  /** The upstream serves `/responses` itself: pass Responses requests through untranslated. */
  nativeResponses: boolean;
  baseUrl: string;
  upstreamModel: string;
  apiKey: string | null;
  inputPricePerMillion: bigint;
  outputPricePerMillion: bigint;
  /** Null: the input price. */
  cachedInputPricePerMillion: bigint | null;
  cacheWritePricePerMillion: bigint | null;
  /** Null: the model sets no cap of its own. */
  maxOutputTokens: number | null;
  tokenCapField: TokenCapField;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  createdAt: Date;
  /**
   * Routing (PRODUCT.md "Routing"): the enabled deployments, each with this model as seen
   * through it (its provider, URL, credential, upstream name and timeouts), made once per
   * registry load so that an attempt allocates nothing to pick one. Absent on such a view.
   */
  deployments?: ResolvedDeployment[];
  /** The deployment this object is the view through; absent on the model itself. */
  deploymentId?: string;
  fallbacks?: readonly string[];
  contextWindow?: number | null;
  routing?: {
    strategy: "weighted" | "least_busy" | "lowest_latency";
    maxAttempts: number;
    timeoutMs: number | null;
  };
}

export interface ResolvedDeployment {
  id: string;
  weight: number;
  priority: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** The model as this deployment serves it: what the provider call is given. */
  model: ResolvedModel;
}

export type CostSource = "upstream" | "estimate" | "none";

/** How a request ended and what it used: the part of its outcome every record of it carries. */
export interface RequestOutcome {
  status: number;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  /** Of promptTokens, read from / written to the provider's prompt cache (0 or absent when unknown). */
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
}

/** One row of usage, as the usage sink receives it. */
export interface UsageEvent extends RequestOutcome {
  requestId: string;
  key: KeyRecord | null;
  model: ResolvedModel | null;
  modelName: string;
  endpoint: string;
  streamed: boolean;
  cost: bigint;
  /** Of `cost`, what the request's reservation did not cover (the estimate fell short). */
  shortfall?: bigint;
  costSource: CostSource;
  latencyMs: number;
  upstreamMs: number | null;
  /** The deployment that answered, and every upstream attempt (absent: none was made). */
  deploymentId?: string | null;
  ttfbMs?: number | null;
  attempts?: UsageAttempt[] | null;
  /** The client's address and User-Agent (absent: not a client request, e.g. the Playground). */
  clientIp?: string | null;
  userAgent?: string | null;
  at: Date;
}
