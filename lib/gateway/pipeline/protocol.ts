import type { ClientSignal } from "../client-signal";
import type { GatewayDeps } from "../deps";
import type { RequestContext } from "../request-context";
import type { CapRequest, TokenCap } from "../token-cap";
import type { GatewayRequest, GatewayResponse, ResolvedModel } from "../types";
import type { MaybePromise } from "../maybe-async";

/**
 * What an inbound protocol (chat, responses, embeddings, completions, messages) gives the
 * shared pipeline (run-pipeline.ts). The pipeline owns everything that must hold on every
 * endpoint — body size, model and access, balance, the token cap and the spending-limit
 * reservation, the grace a non-streamed answer gets when its client leaves, and settling
 * exactly once — and the protocol owns its own shapes: parsing the request, what the
 * request may cost, and the provider call with its answer written back.
 */
export interface Protocol<Body extends ParsedRequest> {
  /** Recorded on each usage row and log line, e.g. `responses`. */
  endpoint: string;
  /** Which models answer it: chat models, or embedding models. */
  serves: ResolvedModel["serves"];
  /** The client's words for it, for "a model that serves X" messages. */
  path: string;
  /** Validates the body (zod at the door); throws a 400 naming the field. */
  parse(raw: Uint8Array): Body;
  /** Sizes the request for the model it goes to; may refuse what that model cannot take (400). */
  prepare(body: Body, model: ResolvedModel, ctx: RequestContext): Prepared;
}

export interface ParsedRequest {
  model: string;
  stream?: boolean | null;
}

export interface Prepared {
  /** Prompt tokens as estimated for the reservation (no tokenizer; leaning high). */
  promptTokens: number;
  /** The cap the client asked for, in chat's terms (token-cap.ts); null: no output at all (embeddings). */
  capRequest: CapRequest | null;
  /** Answers produced at once (chat's and completions' `n`). */
  n: number;
  /** The prompt by the tokenizer, for charging when the upstream reports no usage. */
  estimatePrompt(): Promise<number>;
  /** Sends it to the model and writes the answer back; settles through finishRequest. */
  forward(call: ForwardCall): MaybePromise<GatewayResponse>;
}

export interface ForwardCall {
  deps: GatewayDeps;
  request: GatewayRequest;
  ctx: RequestContext;
  model: ResolvedModel;
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
