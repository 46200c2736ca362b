import type { GatewayDeps } from "../deps";
import type { RequestContext } from "../request-context";
import type { GatewayRequest, GatewayResponse, ResolvedModel } from "../types";

/**
 * What an inbound protocol (chat, responses, embeddings, completions, messages) gives the
 * shared pipeline (run-pipeline.ts). The pipeline owns everything that must hold on every
 * endpoint — body size, model and access, balance, the spending-limit reservation, and
 * settling it exactly once — and the protocol owns its own shapes: parsing the request,
 * what the request may cost, and the provider call with its answer written back.
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
  /** Prompt tokens as estimated for the reservation (leaning high). */
  promptTokens: number;
  /** Output tokens the client capped the answer at, if it did; null for no output at all. */
  clientMaxTokens: number | null;
  /** Whether the request produces output tokens (embeddings do not). */
  producesOutput: boolean;
  /** Answers produced at once (chat's and completions' `n`). */
  n: number;
  /** Sends it to the model and writes the answer back; settles through finishRequest. */
  forward(call: ForwardCall): Promise<GatewayResponse>;
}

export interface ForwardCall {
  deps: GatewayDeps;
  request: GatewayRequest;
  ctx: RequestContext;
  model: ResolvedModel;
  /** The token cap to send upstream (per answer): the client's, the model's, or what the budget affords. */
  maxTokens: number;
  /** Output tokens the reservation pays for; a stream is cut there. Null without a limit. */
  cutAfterTokens: number | null;
}
