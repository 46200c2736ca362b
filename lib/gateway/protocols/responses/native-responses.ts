import { createParser, type EventSourceMessage } from "eventsource-parser";
import { gatewayErrors } from "../../gateway-error";
import type { ProviderCall } from "../../providers/provider";
import { settleAnswer, settleFromEstimate, settleFromUsage } from "../../pipeline/settle";
import { usageFromCounts, type TokenUsage } from "../../translate/usage";
import { answeredStatus, parseAnswer, readAnswer } from "../../providers/answer";
import { providerFor } from "../../providers/registry";
import { countTokens } from "../../relay/token-estimate";
import type { GatewayResponse } from "../../types";
import { isAbort, upstreamFailure } from "../../relay/upstream-client";
import type { ResponsesRequest } from "./responses-request";
import { sseResponse } from "../../relay/sse-response";
import { cleanUpstreamError } from "../../relay/upstream-error-event";
import { idsOfAnswer, refuseForeignReferences } from "./owned-references";

/**
 * A Responses request to an upstream that serves the Responses API itself (OpenAI, recent
 * vLLM): passed through untouched but for the model name and the token cap, so server-side
 * state (`previous_response_id`, `store`) works as the upstream provides it. The stream's
 * events are relayed as they arrive; the usage of its final `response.*` event is metered.
 * There is no mid-stream cut here: the lowered `max_output_tokens` is what holds the budget,
 * and the settlement never charges past the reservation.
 */
export async function forwardNativeResponses(
  call: ProviderCall,
  body: ResponsesRequest,
  estimatePrompt: () => Promise<number>,
): Promise<GatewayResponse> {
  const { deps, request, ctx, deployment } = call;
  const stream = body.stream === true;
  await refuseForeignReferences(deps, ctx.key, body);
  const upstreamBody: Record<string, unknown> = { ...body, model: deployment.upstreamModel };
  // The Responses API has one cap field, whatever the model's chat field is.
  if (call.cap.tokens !== null) upstreamBody.max_output_tokens = call.cap.tokens;
  const upstream = await providerFor(call.model).send(call, {
    path: "/responses",
    body: upstreamBody,
    stream,
  });
  const headers = { "x-request-id": ctx.requestId };

  if (!stream) {
    const raw = await readAnswer(call, upstream);
    const answer = parseAnswer(raw);
    // Recorded before the client sees the ids, so its next turn finds them.
    if (ctx.key) await deps.responseOwners.remember(idsOfAnswer(answer), ctx.key, call.model.id);
    const output = () => JSON.stringify(answer.output ?? []);
    await settleAnswer(deps, ctx, responsesUsageOf(answer.usage), estimatePrompt, output, {
      ...answeredStatus(call),
      cutAtLimit: answer.status === "incomplete",
    });
    return { status: 200, headers: { ...headers, "content-type": "application/json" }, body: raw };
  }

  async function* relay(): AsyncGenerator<string> {
    let out = "";
    let usage: TokenUsage | null = null;
    let produced = "";
    let finalEvent = false;
    let incomplete = false;
    let status = 200;
    let errorCode: string | null = null;
    let seenIds: string[] = [];
    const parser = createParser({
      onEvent(event: EventSourceMessage) {
        const forward = (text: string) =>
          (out += `${event.event ? `event: ${event.event}\n` : ""}${text
            .split("\n")
            .map((line) => `data: ${line}`)
            .join("\n")}\n\n`);
        let data: {
          type?: string;
          delta?: unknown;
          response?: { usage?: unknown; status?: string; error?: unknown };
          item?: { id?: unknown };
        };
        try {
          data = JSON.parse(event.data);
        } catch {
          forward(event.data);
          return;
        }
        // The upstream's own error, cleaned of what it says about itself (upstream-error-event.ts).
        if (data?.type === "error")
          forward(JSON.stringify(cleanResponsesError(data, upstream.secrets ?? [])));
        else if (data?.type === "response.failed" && data.response?.error)
          forward(
            JSON.stringify({
              ...data,
              response: {
                ...data.response,
                error: cleanUpstreamError(data.response.error, upstream.secrets ?? []),
              },
            }),
          );
        else forward(event.data);
        if (data === null || typeof data !== "object") return;
        if (data.response) seenIds.push(...idsOfAnswer(data.response));
        if (typeof data.item?.id === "string") seenIds.push(data.item.id);
        if (typeof data.delta === "string") produced += data.delta;
        if (
          data.type === "response.completed" ||
          data.type === "response.incomplete" ||
          data.type === "response.failed"
        ) {
          finalEvent = true;
          incomplete = data.type === "response.incomplete";
          usage = responsesUsageOf(data.response?.usage);
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const bytes of upstream.body) {
        parser.feed(decoder.decode(bytes, { stream: true }));
        if (seenIds.length > 0 && ctx.key) {
          // Before the event naming them is relayed (see the non-stream path).
          const ids = seenIds;
          seenIds = [];
          await deps.responseOwners.remember(ids, ctx.key, call.model.id);
        }
        if (out) {
          yield out;
          out = "";
        }
      }
      if (!finalEvent) {
        const error = gatewayErrors.upstreamError("The model server ended the stream early.");
        status = 502;
        errorCode = error.code;
        yield `event: error\ndata: ${JSON.stringify({ type: "error", code: error.code, message: error.message, param: null, sequence_number: 0 })}\n\n`;
      }
    } catch (error) {
      if (request.signal.aborted || isAbort(error)) {
        status = 499;
        errorCode = "client_closed";
      } else {
        const failure = upstreamFailure(error);
        status = failure.status;
        errorCode = failure.code;
        yield `event: error\ndata: ${JSON.stringify({ type: "error", code: failure.code, message: failure.message, param: null, sequence_number: 0 })}\n\n`;
      }
    } finally {
      // Reached on the end, on failure, and when the client's adapter returns early.
      if (status === 200 && !finalEvent) {
        status = 499;
        errorCode = "client_closed";
      }
      upstream.discard();
      const reported = usage as TokenUsage | null;
      const settled = { status, errorCode, cutAtLimit: incomplete };
      if (reported) settleFromUsage(deps, ctx, reported, settled);
      else
        deps.track(
          settleFromEstimate(deps, ctx, estimatePrompt, produced, {
            ...settled,
            produced: produced !== "",
          }),
        );
    }
  }

  return sseResponse(headers, relay());
}

/** Responses' usage (input, cached input, output) in the gateway's terms. */
export function responsesUsageOf(usage: unknown): TokenUsage | null {
  if (!usage || typeof usage !== "object") return null;
  const u = usage as {
    input_tokens?: unknown;
    output_tokens?: unknown;
    input_tokens_details?: { cached_tokens?: unknown } | null;
  };
  return usageFromCounts(
    Number(u.input_tokens ?? 0) || 0,
    Number(u.output_tokens ?? 0) || 0,
    Number(u.input_tokens_details?.cached_tokens ?? 0) || 0,
  );
}

/** A Responses `error` event: its code, message and param (cleaned), and its sequence number. */
function cleanResponsesError(
  data: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  return {
    type: "error",
    ...cleanUpstreamError(data, secrets),
    ...(typeof data.sequence_number === "number" ? { sequence_number: data.sequence_number } : {}),
  };
}
