import type { GatewayDeps } from "../deps";
import type { RequestContext } from "../request-context";
import type { ProtocolName, ProviderCall } from "../providers/provider";
import type { CapRequest } from "./token-cap";
import type { GatewayResponse, ResolvedModel } from "../types";
import type { MaybePromise } from "../maybe-async";
import type { PromptSize } from "./request-prompt";

/**
 * What an inbound protocol (chat, responses, embeddings, completions, messages) gives the
 * shared pipeline (run-pipeline.ts). The pipeline owns everything that must hold on every
 * endpoint — body size, model and access, balance, the token cap and the spending-limit
 * reservation, the grace a non-streamed answer gets when its client leaves, and settling
 * exactly once — and the protocol owns its own shapes: parsing the request, what the
 * request may cost, and the provider call with its answer written back.
 */
export interface Protocol<Body extends ParsedRequest> {
  /** Which protocol it is, for the provider's "do you speak it?" */
  name: ProtocolName;
  /** Whether a provider that does not speak it can still be reached through chat completions. */
  viaChat: boolean;
  /** Recorded on each usage row and log line, e.g. `responses`. */
  endpoint: string;
  /** Which models answer it: chat models, or embedding models. */
  serves: ResolvedModel["serves"];
  /** The client's words for it, for "a model that serves X" messages. */
  path: string;
  /** Validates the body (zod at the door); throws a 400 naming the field. */
  parse(raw: Uint8Array): Body;
  /** Sizes the request for the model and route it goes to; may refuse what that model cannot take (400). */
  prepare(
    body: Body,
    model: ResolvedModel,
    ctx: RequestContext,
    deps: GatewayDeps,
    route: Route,
  ): MaybePromise<Prepared>;
}

export interface ParsedRequest {
  model: string;
  stream?: boolean | null;
}

export interface Prepared {
  /** The prompt's size (pipeline/prompt-tally.ts), counted only when a limit needs it. */
  prompt: PromptSize;
  /** The cap the client asked for, in chat's terms (token-cap.ts); null: no output at all (embeddings). */
  capRequest: CapRequest | null;
  /** Answers produced at once (chat's and completions' `n`). */
  n: number;
  /** The prompt by the tokenizer, for charging when the upstream reports no usage. */
  estimatePrompt(): Promise<number>;
  /** Sends it to the model and writes the answer back; settles through finishRequest. */
  forward(call: ProviderCall): MaybePromise<GatewayResponse>;
}

/**
 * The pipeline's one decision about a request's path (choose-path.ts): `native` when the
 * model's provider speaks the client's protocol (passed through), `via-chat` when it is
 * translated onto chat completions (or, for chat clients, onto the provider's own API by
 * the provider's translation).
 */
export type Route = "native" | "via-chat";
