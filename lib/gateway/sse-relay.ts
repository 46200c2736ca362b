import { createParser, type EventSourceMessage } from "eventsource-parser";
import type { ApiError } from "@/lib/http/errors";
import type { ClientSignal } from "./client-signal";
import { gatewayErrors } from "./gateway-error";
import { isAbort, upstreamFailure, type UpstreamResponse } from "./upstream-client";

/**
 * Relays an upstream SSE stream event by event as it arrives (never buffered), while
 * watching it for metering:
 * - the usage chunk the gateway asked for is kept, and hidden from a client that did not ask;
 * - when the key's budget set the token cap (and only then), a choice that goes on past the
 *   cap — more output deltas than cap, so the upstream ignored it — is cut there with
 *   finish_reason "length". An answer within the cap is never cut: no tokenizer of ours
 *   second-guesses the model's, and when the budget does not bind nothing is counted;
 * - an upstream that dies, times out or sends garbage ends the client's stream with an
 *   error event in OpenAI's envelope (the SDKs raise it), never a silent truncation.
 * `onEnd` is called exactly once with what happened, also when the client goes away.
 */
export interface StreamOutcome {
  status: number;
  error: ApiError | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  completionText: string;
  produced: boolean;
  /** Cut here because the reservation was used up. */
  cut: boolean;
  /** Some choice ended with finish_reason "length". */
  hitLength: boolean;
}

export interface RelayOptions {
  clientWantsUsage: boolean;
  /** Output deltas per choice past which the stream is cut; null: never (see token-cap.ts). */
  cutAfterDeltas: number | null;
  signal: ClientSignal;
  onEnd: (outcome: StreamOutcome) => void;
}

interface ChunkShape {
  id?: string;
  created?: number;
  model?: string;
  error?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: {
    index?: number;
    finish_reason?: string | null;
    /** Legacy completions stream their output here, not in a delta. */
    text?: string | null;
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      refusal?: string | null;
      tool_calls?: { function?: { arguments?: string; name?: string } }[];
    };
  }[];
}

export async function* relaySse(upstream: UpstreamResponse, options: RelayOptions): AsyncGenerator<string> {
  const outcome: StreamOutcome = { status: 200, error: null, usage: null, completionText: "", produced: false, cut: false, hitLength: false };
  const text: string[] = [];
  const cutAfter = options.cutAfterDeltas;
  /** Output deltas forwarded per choice, counted only when a cut is possible. */
  const deltas: number[] = [];
  let deltasForwarded = 0;
  let sawDone = false;
  let garbage = false;
  let upstreamErrorEvent = false;
  let meta = { id: "", created: 0, model: "" };
  const seen = new Set<number>();
  const finished = new Set<number>();
  let out = "";

  const cutNow = () => {
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ ...meta, object: "chat.completion.chunk", choices, ...extra })}\n\n`;
    const open = [...seen].filter((index) => !finished.has(index));
    if (open.length > 0) out += chunk(open.map((index) => ({ index, delta: {}, logprobs: null, finish_reason: "length" })));
    outcome.cut = true;
    outcome.hitLength = true;
    if (options.clientWantsUsage) {
      // Our own count: the upstream never got to send its usage.
      out += chunk([], { usage: { prompt_tokens: 0, completion_tokens: deltasForwarded, total_tokens: deltasForwarded } });
    }
    out += "data: [DONE]\n\n";
  };

  const onEvent = (event: EventSourceMessage) => {
    if (outcome.cut || garbage) return;
    if (event.data === "[DONE]") {
      sawDone = true;
      out += "data: [DONE]\n\n";
      return;
    }
    let chunk: ChunkShape;
    try {
      chunk = JSON.parse(event.data) as ChunkShape;
    } catch {
      garbage = true;
      return;
    }
    if (chunk === null || typeof chunk !== "object") {
      garbage = true;
      return;
    }
    if (chunk.error) {
      upstreamErrorEvent = true;
      out += serialize(event, event.data);
      return;
    }
    let data = event.data;
    if (chunk.usage && typeof chunk.usage === "object") {
      outcome.usage = {
        promptTokens: Number(chunk.usage.prompt_tokens ?? 0),
        completionTokens: Number(chunk.usage.completion_tokens ?? 0),
      };
      if (!options.clientWantsUsage) {
        if (!chunk.choices || chunk.choices.length === 0) return;
        delete chunk.usage;
        data = JSON.stringify(chunk);
      }
    }
    meta = { id: chunk.id ?? meta.id, created: chunk.created ?? meta.created, model: chunk.model ?? meta.model };
    if (cutAfter !== null && goesPastCap(chunk.choices ?? [], deltas, cutAfter)) {
      // Past the cap the budget set: this event is not forwarded, and the stream ends here.
      cutNow();
      return;
    }
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      seen.add(index);
      const piece = outputOf(choice);
      if (piece) {
        text.push(piece);
        outcome.produced = true;
        if (cutAfter !== null) deltasForwarded++;
      }
      if (choice.finish_reason) {
        finished.add(index);
        if (choice.finish_reason === "length") outcome.hitLength = true;
      }
    }
    out += serialize(event, data);
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
      yield errorEvent(outcome.error);
    } else if (upstreamErrorEvent) {
      outcome.status = 502;
      outcome.error = gatewayErrors.upstreamError("The model server reported an error mid-stream.");
    } else if (!sawDone && !outcome.cut) {
      if (seen.size > 0 && [...seen].every((index) => finished.has(index))) {
        // Finished but forgot [DONE]: SDKs do not need it, but clients that wait for it do.
        yield "data: [DONE]\n\n";
      } else {
        outcome.status = 502;
        outcome.error = gatewayErrors.upstreamError("The model server ended the stream early.");
        yield errorEvent(outcome.error);
      }
    }
    ended = true;
  } catch (error) {
    if (options.signal.aborted || isAbort(error)) {
      outcome.status = 499;
    } else {
      outcome.error = upstreamFailure(error);
      outcome.status = outcome.error.status;
      ended = true;
      // The client may already be gone; the finally block still settles.
      yield errorEvent(outcome.error);
    }
  } finally {
    // Reached on normal end, on error, and when the client's adapter calls return().
    if (!ended && outcome.status === 200) outcome.status = 499;
    upstream.discard();
    outcome.completionText = text.join("");
    options.onEnd(outcome);
  }
}

type Choice = NonNullable<ChunkShape["choices"]>[number];

/** The output text a choice's delta carries (content, reasoning, refusal, tool calls), or its legacy completion text. */
function outputOf(choice: Choice): string {
  const delta = choice.delta;
  if (!delta) return typeof choice.text === "string" ? choice.text : "";
  return (
    (delta.content ?? "") +
    (delta.reasoning_content ?? "") +
    (delta.reasoning ?? "") +
    (delta.refusal ?? "") +
    (delta.tool_calls?.map((call) => (call.function?.name ?? "") + (call.function?.arguments ?? "")).join("") ?? "")
  );
}

/** Counts this event's output deltas per choice; true when one would go past the cap. */
function goesPastCap(choices: Choice[], deltas: number[], cap: number): boolean {
  for (const choice of choices) {
    if (!outputOf(choice)) continue;
    const index = choice.index ?? 0;
    const count = (deltas[index] ?? 0) + 1;
    if (count > cap) return true;
    deltas[index] = count;
  }
  return false;
}

function serialize(event: EventSourceMessage, data: string): string {
  const name = event.event ? `event: ${event.event}\n` : "";
  return `${name}${data
    .split("\n")
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}

function errorEvent(error: ApiError): string {
  return `data: ${JSON.stringify(error.toBody())}\n\n`;
}
