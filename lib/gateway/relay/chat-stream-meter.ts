import type { ApiError } from "@/lib/errors/api-error";
import { cleanUpstreamError, sseEvent } from "./upstream-error-event";
import type { RelayState } from "./relay-loop";
import type { SseEvent } from "./sse-split";
import { StreamMeterBase } from "./stream-meter-base";

/**
 * The metering of a Chat Completions (or legacy completions) stream, one event at a time,
 * apart from any I/O (relay-loop.ts forwards; this decides):
 * - the usage chunk the gateway asked for is kept, and hidden from a client that did not ask;
 * - when the key's budget set the token cap (and only then), a choice that goes on past the
 *   cap — more output deltas than cap, so the upstream ignored it — is cut there with
 *   finish_reason "length". An answer within the cap is never cut: no tokenizer of ours
 *   second-guesses the model's, and when the budget does not bind nothing is counted;
 * - an upstream that sends garbage or an error event, or stops before [DONE], ends the
 *   client's stream with an error event in OpenAI's envelope (the SDKs raise it).
 * Only what metering needs is parsed: a plain content delta is checked for its shape and
 * its choice index and forwarded unread, unless the budget can cut. Its text is read only if
 * the stream ends without a usage chunk (an estimate is then needed).
 */
export interface StreamOutcome extends RelayState {
  usage: { promptTokens: number; completionTokens: number } | null;
  completionText: string;
  produced: boolean;
  /** Cut here because the reservation was used up. */
  cut: boolean;
  /** Some choice ended with finish_reason "length". */
  hitLength: boolean;
}

export interface ChatMeterOptions {
  clientWantsUsage: boolean;
  /** Output deltas per choice past which the stream is cut; null: never (see token-cap.ts). */
  cutAfterDeltas: number | null;
}

interface ChunkShape {
  id?: string;
  created?: number;
  model?: string;
  error?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: Choice[];
}

interface Choice {
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
}

const DONE = "data: [DONE]\n\n";
// What makes an event worth parsing is read by key (JSON escapes quotes inside strings, so
// a key cannot match text the model wrote; a false match only costs a parse). indexOf and a
// look at the value's first character: regular expressions here cost ~5% of a stream's CPU.
const FIRST_INDEX = /"index"\s*:\s*(\d+)/;

export class ChatStreamMeter extends StreamMeterBase<StreamOutcome> {
  private usage: StreamOutcome["usage"] = null;
  private sawDone = false;
  /** Output deltas forwarded per choice, counted only when a cut is possible. */
  private readonly deltas: number[] = [];
  private deltasForwarded = 0;
  private meta = { id: "", created: 0, model: "" };
  private readonly seen = new Set<number>();
  private readonly finished = new Set<number>();

  constructor(private readonly options: ChatMeterOptions) {
    super();
  }

  push(event: SseEvent): string | undefined {
    const data = event.data;
    if (data === null) return undefined; // a comment or keep-alive: clients ignore it
    if (data === "[DONE]") {
      this.sawDone = true;
      return undefined;
    }
    if (this.options.cutAfterDeltas === null && isPlainDelta(data)) {
      this.seen.add(Number(FIRST_INDEX.exec(data)?.[1] ?? 0));
      this.keepUnread(data);
      return undefined;
    }
    return this.pushParsed(event, data);
  }

  private pushParsed(event: SseEvent, data: string): string | undefined {
    let chunk: ChunkShape;
    try {
      chunk = JSON.parse(data) as ChunkShape;
    } catch {
      return this.malformed();
    }
    if (chunk === null || typeof chunk !== "object") return this.malformed();
    if (chunk.error) {
      this.upstreamErrorEvent = true;
      return sseEvent(event.event, { error: cleanUpstreamError(chunk.error, this.secrets) });
    }
    let replacement: string | undefined;
    if (chunk.usage && typeof chunk.usage === "object") {
      this.usage = {
        promptTokens: Number(chunk.usage.prompt_tokens ?? 0),
        completionTokens: Number(chunk.usage.completion_tokens ?? 0),
      };
      if (!this.options.clientWantsUsage) {
        if (!chunk.choices || chunk.choices.length === 0) return "";
        delete chunk.usage;
        replacement = frame(event.event, JSON.stringify(chunk));
      }
    }
    this.meta = {
      id: chunk.id ?? this.meta.id,
      created: chunk.created ?? this.meta.created,
      model: chunk.model ?? this.meta.model,
    };
    const cap = this.options.cutAfterDeltas;
    if (cap !== null && goesPastCap(chunk.choices ?? [], this.deltas, cap)) {
      // Past the cap the budget set: this event is not forwarded, and the stream ends here.
      return this.cutNow();
    }
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      this.seen.add(index);
      const piece = outputOf(choice);
      this.addText(piece);
      if (piece && cap !== null) this.deltasForwarded++;
      if (choice.finish_reason) {
        this.finished.add(index);
        if (choice.finish_reason === "length") this.hitLength = true;
      }
    }
    return replacement;
  }

  private cutNow(): string {
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ ...this.meta, object: "chat.completion.chunk", choices, ...extra })}\n\n`;
    let out = "";
    const open = [...this.seen].filter((index) => !this.finished.has(index));
    if (open.length > 0)
      out += chunk(
        open.map((index) => ({ index, delta: {}, logprobs: null, finish_reason: "length" })),
      );
    this.cut = true;
    this.hitLength = true;
    this.stopped = true;
    if (this.options.clientWantsUsage) {
      // Our own count: the upstream never got to send its usage.
      out += chunk([], {
        usage: {
          prompt_tokens: 0,
          completion_tokens: this.deltasForwarded,
          total_tokens: this.deltasForwarded,
        },
      });
    }
    return out + DONE;
  }

  protected endedWhole(): string | null {
    if (this.sawDone) return "";
    // Finished but forgot [DONE]: SDKs do not need it, but clients that wait for it do.
    if (this.seen.size > 0 && [...this.seen].every((index) => this.finished.has(index)))
      return DONE;
    return null;
  }

  protected errorEvent(error: ApiError): string {
    return `data: ${JSON.stringify(error.toBody())}\n\n`;
  }

  protected textOf(data: string): string {
    return ((JSON.parse(data) as ChunkShape | null)?.choices ?? []).map(outputOf).join("");
  }

  outcome(): StreamOutcome {
    // The text of unread deltas matters only for an estimate, made when no usage came.
    this.settleUnread(this.usage === null);
    return {
      ...this.state,
      usage: this.usage,
      completionText: this.text.join(""),
      produced: this.produced,
      cut: this.cut,
      hitLength: this.hitLength,
    };
  }
}

/**
 * A chunk that needs no reading now: an object without usage, error, finish reason or tool
 * calls (whose nested `index` would hide the choice's), i.e. an output delta.
 */
function isPlainDelta(data: string): boolean {
  return (
    data.charCodeAt(0) === 123 /* { */ &&
    data.charCodeAt(data.length - 1) === 125 /* } */ &&
    !data.includes('"error"') &&
    !data.includes('"tool_calls"') &&
    valueStart(data, '"finish_reason"') !== 34 /* a string: "stop", "length"… */ &&
    valueStart(data, '"usage"') !== 123 /* an object, not null */
  );
}

/** The first character code of the value after `key` (first occurrence), or -1 when absent. */
function valueStart(data: string, key: string): number {
  const at = data.indexOf(key);
  if (at < 0) return -1;
  for (let i = at + key.length; i < data.length; i++) {
    const code = data.charCodeAt(i);
    // Whitespace and the colon between key and value.
    if (code !== 58 && code !== 32 && code !== 9 && code !== 10 && code !== 13) return code;
  }
  return -1;
}

/** The output text a choice's delta carries (content, reasoning, refusal, tool calls), or its legacy completion text. */
function outputOf(choice: Choice): string {
  const delta = choice.delta;
  if (!delta) return typeof choice.text === "string" ? choice.text : "";
  return (
    (delta.content ?? "") +
    (delta.reasoning_content ?? "") +
    (delta.reasoning ?? "") +
    (delta.refusal ?? "") +
    (delta.tool_calls
      ?.map((call) => (call.function?.name ?? "") + (call.function?.arguments ?? ""))
      .join("") ?? "")
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

function frame(name: string | undefined, data: string): string {
  return `${name ? `event: ${name}\n` : ""}${data
    .split("\n")
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}
