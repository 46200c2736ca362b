import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ApiError } from "@/lib/http/errors";
import type { ClientSignal } from "./client-signal";
import { gatewayErrors } from "./gateway-error";
import { anthropicErrorType } from "./translate/anthropic-error";
import { usageFromAnthropic, type TokenUsage } from "./translate/usage";
import { isAbort, upstreamFailure, type UpstreamResponse } from "./upstream-client";

/**
 * Relays an Anthropic Messages stream event by event, untouched (passthrough keeps every
 * event and field), while watching it for metering, as relaySse does for Chat Completions:
 * - usage comes in message_start (input and cache tokens) and message_delta (output so far);
 * - when the budget set the token cap and the upstream goes past it (more output deltas than
 *   the cap: each delta carries at least one token), the stream is ended the way Anthropic
 *   ends one at max_tokens (content_block_stop, message_delta with stop_reason "max_tokens",
 *   message_stop), as relaySse does for chat;
 * - an upstream that dies, times out or sends garbage ends the stream with an `error`
 *   event in Anthropic's envelope (the SDK raises it), never a silent truncation.
 * `onEnd` is called exactly once, also when the client goes away.
 */
export interface AnthropicStreamOutcome {
  status: number;
  error: ApiError | null;
  usage: TokenUsage | null;
  /** The usage's output count is the upstream's final one (a message_delta came, or the cut's). */
  finalUsage: boolean;
  completionText: string;
  produced: boolean;
  cut: boolean;
  hitLength: boolean;
}

export interface AnthropicRelayOptions {
  /** Output deltas past which the stream is cut; null: never (see token-cap.ts). */
  cutAfterDeltas: number | null;
  signal: ClientSignal;
  onEnd: (outcome: AnthropicStreamOutcome) => void;
}

interface EventShape {
  type?: string;
  index?: number;
  message?: { usage?: Record<string, number | null> };
  usage?: Record<string, number | null>;
  delta?: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string | null };
}

export async function* relayAnthropicSse(upstream: UpstreamResponse, options: AnthropicRelayOptions): AsyncGenerator<string> {
  const outcome: AnthropicStreamOutcome = { status: 200, error: null, usage: null, finalUsage: false, completionText: "", produced: false, cut: false, hitLength: false };
  const text: string[] = [];
  let deltas = 0;
  let sawStop = false;
  let garbage = false;
  let upstreamErrorEvent = false;
  let openBlock: number | null = null;
  let out = "";

  const cutNow = () => {
    if (openBlock !== null) out += event({ type: "content_block_stop", index: openBlock });
    const usage = { ...(outcome.usage ?? emptyUsage()), outputTokens: Math.max(outcome.usage?.outputTokens ?? 0, deltas) };
    outcome.usage = usage;
    outcome.finalUsage = true;
    out += event({
      type: "message_delta",
      delta: { stop_reason: "max_tokens", stop_sequence: null, container: null, stop_details: null },
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cache_read_input_tokens: usage.cacheReadTokens, cache_creation_input_tokens: usage.cacheWriteTokens, output_tokens_details: null, server_tool_use: null },
    });
    out += event({ type: "message_stop" });
    outcome.cut = true;
    outcome.hitLength = true;
  };

  const onEvent = (message: EventSourceMessage) => {
    if (outcome.cut || garbage) return;
    let parsed: EventShape;
    try {
      parsed = JSON.parse(message.data) as EventShape;
    } catch {
      garbage = true;
      return;
    }
    if (parsed === null || typeof parsed !== "object") {
      garbage = true;
      return;
    }
    if (parsed.type === "content_block_delta" && options.cutAfterDeltas !== null && deltaPiece(parsed)) {
      // The delta that would go past the cap is not forwarded: the stream ends here.
      if (deltas + 1 > options.cutAfterDeltas) {
        cutNow();
        return;
      }
      deltas++;
    }
    out += serialize(message);
    switch (parsed.type) {
      case "message_start":
        outcome.usage = usageFromAnthropic(parsed.message?.usage as never);
        break;
      case "content_block_start":
        openBlock = parsed.index ?? null;
        break;
      case "content_block_stop":
        openBlock = null;
        break;
      case "content_block_delta": {
        const piece = deltaPiece(parsed);
        if (piece) {
          text.push(piece);
          outcome.produced = true;
        }
        break;
      }
      case "message_delta": {
        // Cumulative counts; a member left out keeps what message_start said.
        const usage = parsed.usage ?? {};
        const before = outcome.usage ?? emptyUsage();
        const next = usageFromAnthropic(usage as never);
        outcome.usage = {
          inputTokens: usage.input_tokens != null ? next.inputTokens : before.inputTokens,
          outputTokens: usage.output_tokens != null ? next.outputTokens : before.outputTokens,
          cacheReadTokens: usage.cache_read_input_tokens != null ? next.cacheReadTokens : before.cacheReadTokens,
          cacheWriteTokens: usage.cache_creation_input_tokens != null ? next.cacheWriteTokens : before.cacheWriteTokens,
        };
        outcome.finalUsage = true;
        if (parsed.delta?.stop_reason === "max_tokens") outcome.hitLength = true;
        break;
      }
      case "message_stop":
        sawStop = true;
        break;
      case "error":
        upstreamErrorEvent = true;
        break;
    }
  };

  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  let ended = false;
  try {
    for await (const bytes of upstream.body) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      if (garbage) break;
      if (out) {
        const pending = out;
        out = "";
        yield pending;
      }
      if (outcome.cut) break;
    }
    if (garbage) {
      outcome.status = 502;
      outcome.error = gatewayErrors.upstreamError("The model server sent a malformed stream.");
      yield anthropicErrorEvent(outcome.error);
    } else if (upstreamErrorEvent) {
      outcome.status = 502;
      outcome.error = gatewayErrors.upstreamError("The model server reported an error mid-stream.");
    } else if (!sawStop && !outcome.cut) {
      outcome.status = 502;
      outcome.error = gatewayErrors.upstreamError("The model server ended the stream early.");
      yield anthropicErrorEvent(outcome.error);
    }
    ended = true;
  } catch (error) {
    if (options.signal.aborted || isAbort(error)) {
      outcome.status = 499;
    } else {
      outcome.error = upstreamFailure(error);
      outcome.status = outcome.error.status;
      ended = true;
      yield anthropicErrorEvent(outcome.error);
    }
  } finally {
    if (!ended && outcome.status === 200) outcome.status = 499;
    upstream.discard();
    outcome.completionText = text.join("");
    options.onEnd(outcome);
  }
}

const deltaPiece = (event: EventShape) => event.delta?.text ?? event.delta?.thinking ?? event.delta?.partial_json ?? "";

const emptyUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });

function serialize(message: EventSourceMessage): string {
  const name = message.event ? `event: ${message.event}\n` : "";
  return `${name}${message.data
    .split("\n")
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}

function event(payload: { type: string } & Record<string, unknown>): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export function anthropicErrorEvent(error: ApiError): string {
  return event({ type: "error", error: { type: anthropicErrorType(error.status), message: error.message, code: error.code } });
}
