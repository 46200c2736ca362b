import type { TokenCapField } from "@/db/schema/models";
import type { TokenCap } from "../types";

/**
 * Which token cap a request carries upstream, in which field, and when (if ever) the
 * gateway may cut a stream. Pure functions: the rules of PRODUCT.md's spending-limit
 * paragraph, decided once per request before anything is sent.
 *
 * - A cap the client sent stays in the client's field (lowered to the model's maximum).
 * - None sent: the model's maximum, if it has one, in the model's field; else none at all —
 *   OpenAI's reasoning models refuse `max_tokens`, so a cap nobody needs is not invented.
 * - A key with a limit needs a cap to size its reservation; when the budget is the smaller,
 *   the cap is lowered to what it affords.
 * - The gateway cuts a stream only when the budget bound the cap, and only once the
 *   upstream has clearly gone past it: the upstream enforces the cap with the model's own
 *   tokenizer, which the gateway's estimate cannot match.
 */
export type { TokenCap } from "../types";

export interface CapRequest {
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

export interface CapModel {
  maxOutputTokens: number | null;
  tokenCapField: TokenCapField;
}

/** What a limited key's reservation assumes for output when neither client nor model caps it. */
export const RESERVED_OUTPUT_WITHOUT_CAP = 4096;

/** The cap before any budget is considered. */
export function requestedCap(body: CapRequest, model: CapModel): TokenCap {
  const clientField: TokenCapField | null =
    body.max_completion_tokens != null
      ? "max_completion_tokens"
      : body.max_tokens != null
        ? "max_tokens"
        : null;
  const clientTokens = body.max_completion_tokens ?? body.max_tokens ?? null;
  const tokens =
    clientTokens === null
      ? model.maxOutputTokens
      : model.maxOutputTokens === null
        ? clientTokens
        : Math.min(clientTokens, model.maxOutputTokens);
  if (tokens === null) return { field: null, tokens: null };
  return { field: clientField ?? model.tokenCapField, tokens };
}

/** Output tokens per choice a limited key's reservation is sized for. */
export function tokensToReserve(cap: TokenCap): number {
  return cap.tokens ?? RESERVED_OUTPUT_WITHOUT_CAP;
}

export interface BudgetedCap {
  cap: TokenCap;
  /**
   * Output deltas per choice past which the stream is cut: only when the budget set the
   * cap. Each delta an upstream sends carries at least one of its tokens, so more deltas
   * than the cap means the upstream did not honour the cap; counting deltas needs no
   * tokenizer and never cuts an answer that stayed within it.
   */
  cutAfterDeltas: number | null;
}

/** The cap once a limited key's reservation is made: `tokens` is what the reservation pays for per choice. */
export function capWithinBudget(
  requested: TokenCap,
  model: CapModel,
  tokens: number,
  budgetBinds: boolean,
): BudgetedCap {
  return {
    cap: { field: requested.field ?? model.tokenCapField, tokens },
    cutAfterDeltas: budgetBinds ? tokens : null,
  };
}

/** The request body's cap fields as they go upstream: the chosen one set, the other removed. */
export function applyCap(upstreamBody: Record<string, unknown>, cap: TokenCap): void {
  // An upstream that refuses one of the fields refuses it even as null: only one is sent.
  if (cap.field !== "max_tokens" && "max_tokens" in upstreamBody) delete upstreamBody.max_tokens;
  if (cap.field !== "max_completion_tokens" && "max_completion_tokens" in upstreamBody)
    delete upstreamBody.max_completion_tokens;
  if (cap.field !== null && cap.tokens !== null) upstreamBody[cap.field] = cap.tokens;
}
