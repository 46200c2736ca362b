import { affordableOutputTokens, costOf } from "@/lib/billing/pricing";
import type { BudgetStore, ReserveResult } from "../stores/budget";
import { gatewayErrors } from "../gateway-error";
import { isPromise, type MaybePromise } from "../maybe-async";
import type { Reservation } from "../request-context";
import type { ResolvedModel } from "../types";

export interface ReservationPlan {
  reservation: Reservation | null;
  /** max_tokens to send upstream (per choice), lowered when the budget is the smaller. */
  maxTokens: number;
  /** The budget, not the request, set maxTokens: only then may a stream be cut. */
  budgetBinds: boolean;
}

/**
 * Reserves what the request can cost at most — prompt estimate plus max_tokens × n at the
 * model's prices — capped by the key's remaining budget. When the budget is the smaller,
 * max_tokens is lowered to what it affords. When other requests of the key hold the budget
 * right now, waits (bounded) for them to settle: their real cost is usually below what they
 * reserved, and refusing early would leave a key neither usable nor limit_reached.
 *
 * A prompt part of which lives upstream (`unknownPromptUpTo`: a stored conversation)
 * reserves up to that much — the key's whole limit, so in effect what is left of it.
 */
export function reserveBudget(
  budget: BudgetStore,
  keyId: string,
  model: ResolvedModel,
  promptTokens: number,
  maxTokens: number,
  n: number,
  waitMs: number,
  clock: () => number,
  periodStart: number | null = null,
  unknownPromptUpTo: bigint | null = null,
): MaybePromise<ReservationPlan> {
  const known = costOf(model, promptTokens, maxTokens * n);
  const wanted =
    unknownPromptUpTo !== null && unknownPromptUpTo > known ? unknownPromptUpTo : known;
  if (wanted === 0n) return { reservation: null, maxTokens, budgetBinds: false };
  // The least worth forwarding: the prompt (the tokenizer's count, a few percent high) and
  // one output token per choice. A budget that cannot pay the prompt would be overspent
  // the moment the upstream reads it, whatever max_tokens says.
  const least = costOf(model, promptTokens, maxTokens > 0 ? n : 0);
  const minimum = least < wanted ? least : wanted;
  const request = { keyId, model, promptTokens, maxTokens, n, wanted, periodStart };
  const first = budget.reserve(keyId, wanted, minimum);
  // The usual case: this process's lease covers it, with no promise at all.
  if (!isPromise(first) && first.granted > 0n) return planFor(request, first.granted);
  return reserveWaiting(budget, request, minimum, first, clock() + waitMs, clock);
}

interface PlanRequest {
  keyId: string;
  model: ResolvedModel;
  promptTokens: number;
  maxTokens: number;
  n: number;
  wanted: bigint;
  periodStart: number | null;
}

function planFor(
  { keyId, model, promptTokens, maxTokens, n, wanted, periodStart }: PlanRequest,
  granted: bigint,
): ReservationPlan {
  const capped = granted < wanted;
  const affordable = capped ? affordableOutputTokens(model, promptTokens, granted) : maxTokens * n;
  const perChoice = Math.min(maxTokens, Math.floor(affordable / n));
  return {
    reservation: { keyId, amount: granted, capped, periodStart },
    maxTokens: Math.max(1, perChoice),
    budgetBinds: capped,
  };
}

async function reserveWaiting(
  budget: BudgetStore,
  request: PlanRequest,
  minimum: bigint,
  first: MaybePromise<ReserveResult>,
  deadline: number,
  clock: () => number,
): Promise<ReservationPlan> {
  let attempt = first;
  for (;;) {
    const { granted, heldByOthers } = await attempt;
    if (granted > 0n) return planFor(request, granted);
    const left = deadline - clock();
    if (heldByOthers === 0n || left <= 0) {
      throw gatewayErrors.limitReached(
        heldByOthers === 0n
          ? "This API key has reached its spending limit, or what is left of it does not cover this request."
          : "This API key's remaining budget is held by requests in progress.",
      );
    }
    await budget.waitForSettle(request.keyId, Math.min(left, 250));
    attempt = budget.reserve(request.keyId, request.wanted, minimum);
  }
}
