import type { ApiError } from "@/lib/errors/api-error";
import type { ProviderId } from "@/lib/core/providers";
import type { ClientSignal } from "../client-signal";
import type { GatewayDeps } from "../deps";
import type { PromptSize, TokenFamily } from "../relay/token-estimate";
import type { UpstreamResponse } from "../relay/upstream-client";
import type { RequestContext } from "../request-context";
import type { GatewayRequest, GatewayResponse, ResolvedModel, TokenCap } from "../types";

/** The inbound protocols `/v1` serves; a provider passes some of them through untranslated. */
export type ProtocolName =
  | "chat"
  | "responses"
  | "embeddings"
  | "completions"
  | "messages"
  // Google's generateContent (protocols/gemini): passed through to a `gemini` model only.
  | "gemini";

/**
 * Where one attempt goes: a provider at a base URL with a credential (decrypted, in memory
 * only) and the upstream's name for the model. Today every model has exactly one, derived
 * from its row (deploymentOf); routing gives a model several and calls the provider once per
 * attempt with the one it picked.
 */
export interface Deployment {
  provider: ProviderId | "echo";
  baseUrl: string;
  apiKey: string | null;
  upstreamModel: string;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

/** One provider call: the request it serves, where it goes, and what bounds it. */
export interface ProviderCall {
  deps: GatewayDeps;
  request: GatewayRequest;
  ctx: RequestContext;
  model: ResolvedModel;
  deployment: Deployment;
  /** The token cap to send upstream (per answer), and its field. */
  cap: TokenCap;
  /** Output deltas per choice past which a stream is cut (only when the budget set the cap). */
  cutAfterDeltas: number | null;
  /**
   * What aborts the upstream call: the client's own signal for a stream; for a non-stream
   * answer the same signal delayed by a grace, so that an answer nearly done when an
   * impatient client leaves still arrives with its usage and is charged.
   */
  signal: ClientSignal;
}

/** A request in the provider's own protocol, at a path of its own API. */
export interface NativeRequest {
  /** The provider's path, e.g. `/chat/completions` (openai) or `/messages` (anthropic). */
  path: string;
  body: Record<string, unknown>;
  stream: boolean;
  /** The client's query string (`?beta=true`), passed on when the protocol is the same. */
  query?: string;
}

/** What "Test connection" sends: a request that needs the credential and costs no tokens. */
export interface ConnectionProbe {
  url: string;
  headers: Record<string, string>;
}

/**
 * A provider: one kind of upstream API, one folder (providers/<id>/), one entry in the
 * registry (registry.ts). The pipeline asks it once per request whether the client's
 * protocol passes through (`servesNatively`) or goes via chat completions (`chat`), and
 * every upstream byte goes through `send` or `chat`.
 *
 * Outcomes: `send` and `chat` resolve with a 2xx answer only; anything else is thrown as the
 * error table's ApiError (send-upstream.ts: the client gone 499, unreachable 502, too slow
 * 504, the upstream's own status mapped by upstream-error.ts). Whether content already
 * reached the client is the relay's to know (relay-loop.ts `RelayState`), not the provider's.
 */
export interface Provider {
  readonly id: ProviderId | "echo";
  /** Whose tokenizer counts a prompt sent to it (reservations, answers without usage). */
  readonly tokenFamily: TokenFamily;
  /** Its `gen_ai.provider.name` in OpenTelemetry spans (a well-known value where there is one). */
  readonly telemetryName: string;
  /** `owned_by` in /v1/models. */
  readonly ownedBy: string;
  /** Whether requests of this protocol go to the model as they are (model name and cap aside). */
  servesNatively(protocol: ProtocolName, model: ResolvedModel): boolean;
  /** Whether it can be reached via chat completions at all (Responses and Messages are translated onto chat). */
  readonly servesChat: boolean;
  /** The `/v1` endpoints a chat model on it answers, natively or translated (for /v1/models). */
  chatEndpoints(): string[];
  /** The 404 for an endpoint it does not serve at all (legacy completions on Claude…). */
  doesNotServe(model: ResolvedModel, path: string): ApiError;
  /** Refuses, before any budget is reserved, a request it would refuse anyway (the demo model judges chat as OpenAI would). */
  checkRequest?(protocol: ProtocolName, body: unknown): void;
  /** Sends a request in its own protocol; a 2xx answer or a thrown ApiError. */
  send(call: ProviderCall, request: NativeRequest): Promise<UpstreamResponse>;
  /**
   * A chat completions request in, a chat completions answer out (JSON, or SSE ending with
   * the usage chunk): how protocols it does not serve natively reach it.
   */
  chat(
    call: ProviderCall,
    body: Record<string, unknown>,
    stream: boolean,
  ): Promise<UpstreamResponse>;
  /**
   * Serves a chat completions client itself, when chat is not its own protocol: the
   * translation both ways and the metering in its own terms (Anthropic's cache writes).
   */
  serveChat?(
    call: ProviderCall,
    body: Record<string, unknown>,
    prompt: PromptSize,
  ): Promise<GatewayResponse>;
  /** Its own count of a Messages request's tokens (count_tokens), when it has one. */
  countTokens?(call: ProviderCall, body: Record<string, unknown>): Promise<Buffer>;
  /** The request "Test connection" sends; null: nothing to test (the built-in model). */
  probe(target: Pick<Deployment, "baseUrl" | "apiKey">): ConnectionProbe | null;
}
