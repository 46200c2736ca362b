import { createParser } from "eventsource-parser";
import type { ProviderCall } from "../../providers/provider";
import { settleAnswer, settleRelayed, usageOfChatStream } from "../../pipeline/settle";
import { reportedChatUsage } from "../../translate/usage";
import { answeredStatus, parseAnswer, readAnswer } from "../../providers/answer";
import { providerFor } from "../../providers/registry";
import { relaySse } from "../../relay/sse-relay";
import { applyCap } from "../../pipeline/token-cap";
import { ResponsesStreamTranslator } from "../../translate/chat-stream-to-responses";
import { chatToResponse } from "../../translate/chat-to-response";
import { responseBase } from "../../translate/response-object";
import type { ChatTranslation } from "../../translate/responses-to-chat";
import type { GatewayResponse } from "../../types";
import type { ResponsesRequest } from "./responses-request";
import { sseResponse } from "../../relay/sse-response";

/**
 * A Responses request answered by a chat completions upstream. The stream goes through
 * the same relay as chat (sse-relay.ts: usage kept, cut at the budget, upstream failures
 * turned into an error event, the upstream aborted when the client leaves, settled once),
 * and each chat chunk it lets through is turned into Responses events as it arrives.
 */
export async function forwardResponsesViaChat(
  call: ProviderCall,
  body: ResponsesRequest,
  translation: ChatTranslation,
  estimatePrompt: () => Promise<number>,
): Promise<GatewayResponse> {
  const { deps, request, ctx, model } = call;
  const stream = body.stream === true;
  const chat: Record<string, unknown> = {
    ...translation.chat,
    model: call.deployment.upstreamModel,
  };
  applyCap(chat, call.cap);
  if (stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  if (translation.dropped.length > 0) ctx.dropped = translation.dropped;
  const headers: Record<string, string> = { "x-request-id": ctx.requestId };
  if (translation.dropped.length > 0)
    headers["x-modelbridge-dropped"] = translation.dropped.join(", ");

  const upstream = await providerFor(model).chat(call, chat, stream);
  const base = responseBase(body, model.name);

  if (!stream) {
    const answer = parseAnswer(await readAnswer(call, upstream));
    const response = chatToResponse(answer, base, translation.toolNames);
    // Durable before the answer leaves: the client's next turn may refer to these items.
    if (ctx.key)
      await deps.items.remember(ctx.key.id, response.output as Record<string, unknown>[]);
    const output = () => producedText(response.output as Record<string, unknown>[]);
    await settleAnswer(deps, ctx, reportedChatUsage(answer.usage), estimatePrompt, output, {
      ...answeredStatus(call),
      cutAtLimit: response.status === "incomplete",
    });
    return {
      status: 200,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(response),
    };
  }

  let cachedInputTokens = 0;
  const relay = relaySse(upstream, {
    clientWantsUsage: true,
    cutAfterDeltas: call.cutAfterDeltas,
    signal: request.signal,
    onEnd: (outcome) =>
      settleRelayed(
        deps,
        ctx,
        outcome,
        usageOfChatStream(outcome, cachedInputTokens),
        estimatePrompt,
      ),
  });

  async function* events(): AsyncGenerator<string> {
    const translator = new ResponsesStreamTranslator(base, translation.toolNames);
    let out = translator.start();
    const parser = createParser({
      onEvent(event) {
        if (event.data === "[DONE]") {
          out += translator.finish();
          return;
        }
        let chunk: Record<string, unknown>;
        try {
          chunk = JSON.parse(event.data) as Record<string, unknown>;
        } catch {
          return; // the relay has already judged the upstream's stream; it only lets JSON through
        }
        const error = chunk.error as
          { message?: unknown; code?: unknown; param?: unknown } | undefined;
        if (error) {
          out += translator.fail({
            message:
              typeof error.message === "string"
                ? error.message
                : "The model server reported an error.",
            code: typeof error.code === "string" ? error.code : null,
          });
          return;
        }
        const usage = reportedChatUsage(chunk.usage);
        if (usage) cachedInputTokens = usage.cacheReadTokens;
        out += translator.chunk(chunk);
      },
    });
    yield out;
    out = "";
    // Leaving this loop early (the client went away) returns the relay, which aborts the
    // upstream and settles.
    const decoder = new TextDecoder();
    let remembered = !ctx.key;
    // Stored before the last event leaves: the client's next turn may refer to these items.
    const remember = async () => {
      if (remembered) return;
      remembered = true;
      await deps.items.remember(ctx.key!.id, translator.outputItems());
    };
    for await (const piece of relay) {
      parser.feed(typeof piece === "string" ? piece : decoder.decode(piece, { stream: true }));
      if (out) {
        if (translator.isEnded) await remember();
        yield out;
        out = "";
      }
    }
    // The relay ends every stream with [DONE] or an error, which end the translation too.
    if (!translator.isEnded) {
      const failed = translator.fail({ message: "The model server ended the stream early." });
      await remember();
      yield failed;
    }
    await remember();
  }

  return sseResponse(headers, events());
}

/** The text the model produced (answer, reasoning, tool calls), for an estimate. */
function producedText(output: Record<string, unknown>[]): string {
  const parts: string[] = [];
  for (const item of output) {
    if (Array.isArray(item.content))
      for (const part of item.content as { text?: string; refusal?: string }[])
        parts.push(part.text ?? part.refusal ?? "");
    for (const field of ["name", "arguments", "input"])
      if (typeof item[field] === "string") parts.push(item[field] as string);
  }
  return parts.join("");
}
