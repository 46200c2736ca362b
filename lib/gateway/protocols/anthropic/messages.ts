import { ApiError } from "@/lib/http/errors";
import type { GatewayDeps } from "../../deps";
import { finishRequest, nothingCharged } from "../../finish-request";
import { gatewayErrors } from "../../gateway-error";
import { isPromise } from "../../maybe-async";
import { readBody } from "../../read-body";
import type { RequestContext } from "../../request-context";
import { reserveBudget } from "../../reserve-budget";
import type { GatewayRequest, GatewayResponse, KeyRecord } from "../../types";
import { messagesPassthrough } from "../../providers/anthropic/messages-passthrough";
import { parseMessagesRequest } from "./messages-request";
import { messagesViaChat } from "./messages-via-chat";
import { messagesPromptTokens } from "./prompt-estimate";

/**
 * POST /v1/messages for an authenticated key: the same steps as every endpoint (model,
 * balance, reservation of prompt estimate + max_tokens, settle), then the call by the
 * model's provider — passed through to an `anthropic` model, translated onto chat
 * completions for an `openai` one (and the built-in echo model).
 */
export interface MessagesPlan {
  maxTokens: number;
  cutAfterTokens: number | null;
  promptEstimate: number;
}

export async function anthropicMessages(deps: GatewayDeps, request: GatewayRequest, ctx: RequestContext, key: KeyRecord): Promise<GatewayResponse> {
  const body = parseMessagesRequest(await readBody(request, deps.config.maxBodyBytes));
  ctx.modelName = body.model;
  ctx.streamed = body.stream === true;

  const found = deps.models.get(body.model);
  const model = isPromise(found) ? await found : found;
  if (!model || model.serves === "embedding") throw gatewayErrors.modelNotFound(body.model);
  ctx.model = model;

  const owner = key.teamId ? ({ kind: "team", teamId: key.teamId } as const) : ({ kind: "user", userId: key.createdBy } as const);
  const allowed = deps.balance.canSpend(owner, new Date(deps.clock()));
  if (!(isPromise(allowed) ? await allowed : allowed)) throw gatewayErrors.insufficientBalance();

  const promptEstimate = messagesPromptTokens(body);
  const plan: MessagesPlan = { maxTokens: Math.min(body.max_tokens, model.maxOutputTokens), cutAfterTokens: null, promptEstimate };
  if (key.spendingLimit !== null) {
    const planned = reserveBudget(deps.budget, key.id, model, promptEstimate, plan.maxTokens, 1, deps.config.reservationWaitMs, deps.clock);
    const reserved = isPromise(planned) ? await planned : planned;
    ctx.reservation = reserved.reservation;
    plan.maxTokens = reserved.maxTokens;
    plan.cutAfterTokens = reserved.cutAfterTokens;
  }

  // From here on the reservation is held: every path must end in finishRequest.
  try {
    return model.provider === "anthropic" && model.kind === "http"
      ? await messagesPassthrough(deps, request, ctx, body, plan)
      : await messagesViaChat(deps, request, ctx, body, plan);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : null;
    finishRequest(deps, ctx, nothingCharged(apiError?.status ?? (request.signal.aborted ? 499 : 500), apiError?.code ?? null));
    throw error;
  }
}
