import { describe, expect, it } from "vitest";
import { relayAnthropicSse, type AnthropicStreamOutcome } from "../providers/anthropic/sse-relay";
import type { ClientSignal } from "../client-signal";
import { malformedEventsSkipped } from "./stream-counters";
import { relaySse, type StreamOutcome } from "./sse-relay";
import { SseSplitter } from "./sse-split";
import type { UpstreamResponse } from "./upstream-client";

const encoder = new TextEncoder();
const signal = {
  aborted: false,
  addEventListener: () => {},
  removeEventListener: () => {},
} as unknown as ClientSignal;

function upstream(...pieces: (string | Uint8Array)[]): UpstreamResponse & { discarded: boolean } {
  const response = {
    status: 200,
    contentType: "text/event-stream",
    discarded: false,
    body: (async function* () {
      for (const piece of pieces) yield typeof piece === "string" ? encoder.encode(piece) : piece;
    })(),
    discard: () => void (response.discarded = true),
  };
  return response;
}

async function run<T>(
  relay: AsyncGenerator<string | Uint8Array>,
  ended: () => T | null,
): Promise<{ out: string; pieces: (string | Uint8Array)[]; outcome: T }> {
  const pieces: (string | Uint8Array)[] = [];
  for await (const piece of relay) pieces.push(piece);
  const decoder = new TextDecoder();
  return {
    out: pieces.map((p) => (typeof p === "string" ? p : decoder.decode(p))).join(""),
    pieces,
    outcome: ended()!,
  };
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices, ...extra })}\n\n`;
const delta = (content: string, index = 0) =>
  chunk([{ index, delta: { content }, finish_reason: null }]);
const finish = (reason = "stop", index = 0) => chunk([{ index, delta: {}, finish_reason: reason }]);
const usage = chunk([], { usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
const DONE = "data: [DONE]\n\n";

function chat(
  options: { clientWantsUsage?: boolean; cutAfterDeltas?: number | null },
  ...pieces: (string | Uint8Array)[]
) {
  let outcome: StreamOutcome | null = null;
  const source = upstream(...pieces);
  const relay = relaySse(source, {
    clientWantsUsage: options.clientWantsUsage ?? true,
    cutAfterDeltas: options.cutAfterDeltas ?? null,
    signal,
    onEnd: (o) => (outcome = o),
  });
  return { source, result: run(relay, () => outcome) };
}

describe("SseSplitter", () => {
  it("keeps events whole across network chunks, and says when a chunk held whole events only", () => {
    const splitter = new SseSplitter();
    const first = splitter.push(encoder.encode('data: {"a":1}\n\ndata: {"b"'));
    expect(first.events.map((e) => e.data)).toEqual(['{"a":1}']);
    expect(first.aligned).toBe(false);
    const second = splitter.push(encoder.encode(":2}\n\n"));
    expect(second.events.map((e) => e.data)).toEqual(['{"b":2}']);
    expect(second.aligned).toBe(false);
    const third = splitter.push(
      encoder.encode("event: x\ndata: one\ndata: two\n\n: keep-alive\n\n"),
    );
    expect(third.events).toEqual([
      { raw: "event: x\ndata: one\ndata: two\n\n", event: "x", data: "one\ntwo" },
      { raw: ": keep-alive\n\n", event: undefined, data: null },
    ]);
    expect(third.aligned).toBe(true);
  });

  it("reads CRLF line ends, and a character split between chunks", () => {
    const splitter = new SseSplitter();
    const bytes = encoder.encode('data: {"t":"é"}\r\n\r\n');
    const at = bytes.indexOf(0xc3) + 1;
    expect(splitter.push(bytes.slice(0, at)).events).toEqual([]);
    const rest = splitter.push(bytes.slice(at));
    expect(rest.events.map((e) => e.data)).toEqual(['{"t":"é"}']);
    expect(rest.aligned).toBe(false);
  });
});

describe("relaySse", () => {
  it("forwards the upstream's own bytes when nothing is changed, and meters the usage chunk", async () => {
    const whole = encoder.encode(delta("Hel") + delta("lo") + finish());
    const tail = encoder.encode(usage + DONE);
    const { result } = chat({}, whole, tail);
    const { pieces, outcome } = await result;
    expect(pieces[0]).toBe(whole);
    expect(pieces[1]).toBe(tail);
    expect(outcome).toMatchObject({
      status: 200,
      error: null,
      usage: { promptTokens: 7, completionTokens: 3 },
      cut: false,
      hitLength: false,
    });
  });

  it("hides the usage chunk from a client that did not ask, and strips usage riding on a content chunk", async () => {
    const withUsage = chunk([{ index: 0, delta: { content: "x" }, finish_reason: "stop" }], {
      usage: { prompt_tokens: 2, completion_tokens: 1 },
    });
    const { result } = chat({ clientWantsUsage: false }, delta("a") + withUsage, usage + DONE);
    const { out, outcome } = await result;
    expect(out).not.toContain("usage");
    expect(out).toContain('"content":"x"');
    expect(out.endsWith(DONE)).toBe(true);
    expect(outcome.usage).toEqual({ promptTokens: 7, completionTokens: 3 });
  });

  it("cuts a choice that goes past the cap with finish_reason length, our own usage and [DONE]", async () => {
    const { source, result } = chat(
      { cutAfterDeltas: 2 },
      delta("a") + delta("b"),
      delta("c") + delta("d"),
      finish() + usage + DONE,
    );
    const { out, outcome } = await result;
    expect(out).toContain('"content":"b"');
    expect(out).not.toContain('"content":"c"');
    expect(out).toContain('"finish_reason":"length"');
    expect(out).toContain('"usage":{"prompt_tokens":0,"completion_tokens":2,"total_tokens":2}');
    expect(out.endsWith(DONE)).toBe(true);
    expect(outcome).toMatchObject({ cut: true, hitLength: true, completionText: "ab" });
    expect(source.discarded).toBe(true);
  });

  it("estimates from the text when no usage came, read from the deltas it forwarded unread", async () => {
    const { result } = chat({}, delta("Hel"), delta("lo"), finish());
    const { out, outcome } = await result;
    // Finished without [DONE]: it is added for the clients that wait for it.
    expect(out.endsWith(DONE)).toBe(true);
    expect(outcome).toMatchObject({
      status: 200,
      usage: null,
      produced: true,
      completionText: "Hello",
    });
  });

  it("reads finish reasons and usage however the upstream spaces its JSON, and `usage: null` on every chunk", async () => {
    const spaced = (value: object) =>
      `data: ${JSON.stringify(value, null, 1).replace(/\n/g, " ")}\n\n`;
    const { result } = chat(
      { clientWantsUsage: false },
      spaced({
        id: "c1",
        choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }],
        usage: null,
      }),
      spaced({
        id: "c1",
        choices: [{ index: 0, delta: {}, finish_reason: "length" }],
        usage: null,
      }),
      spaced({ id: "c1", choices: [], usage: { prompt_tokens: 4, completion_tokens: 1 } }),
    );
    const { out, outcome } = await result;
    // Finished (by its finish reason) without [DONE]: completed, not an early end.
    expect(out.endsWith(DONE)).toBe(true);
    expect(out).not.toContain("prompt_tokens");
    expect(outcome).toMatchObject({
      status: 200,
      hitLength: true,
      usage: { promptTokens: 4, completionTokens: 1 },
    });
  });

  it("ends a stream that stops early with an error event and 502", async () => {
    const early = await chat({}, delta("a")).result;
    expect(early.out).toContain('"code":"upstream_error"');
    expect(early.outcome).toMatchObject({ status: 502, produced: true, completionText: "a" });
  });

  it("skips and counts a malformed event in the middle; the stream goes on to its end", async () => {
    const before = malformedEventsSkipped();
    const garbage = await chat({}, delta("a") + "data: not json\n\n" + delta("b") + finish() + DONE)
      .result;
    expect(garbage.out).not.toContain("not json");
    expect(garbage.out).toContain('"content":"b"');
    expect(garbage.out.endsWith(DONE)).toBe(true);
    expect(garbage.outcome.status).toBe(200);
    expect(malformedEventsSkipped()).toBe(before + 1);
  });

  it("records 499 and settles once when the client leaves mid-stream", async () => {
    let calls = 0;
    let outcome: StreamOutcome | null = null;
    const source = upstream(delta("a"), delta("b"), finish(), usage, DONE);
    const relay = relaySse(source, {
      clientWantsUsage: true,
      cutAfterDeltas: null,
      signal,
      onEnd: (o) => ((outcome = o), calls++),
    });
    await relay.next();
    await relay.return(undefined);
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({
      status: 499,
      usage: null,
      produced: true,
      completionText: "a",
    });
    expect(source.discarded).toBe(true);
  });
});

describe("relayAnthropicSse", () => {
  const event = (payload: { type: string } & Record<string, unknown>) =>
    `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
  const start = event({
    type: "message_start",
    message: { usage: { input_tokens: 5, output_tokens: 1 } },
  });
  const blockStart = event({
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  });
  const text = (t: string) =>
    event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } });
  const end =
    event({ type: "content_block_stop", index: 0 }) +
    event({
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { output_tokens: 2 },
    }) +
    event({ type: "message_stop" });

  function anthropic(cutAfterDeltas: number | null, ...pieces: string[]) {
    let outcome: AnthropicStreamOutcome | null = null;
    return run(
      relayAnthropicSse(upstream(...pieces), {
        cutAfterDeltas,
        signal,
        onEnd: (o) => (outcome = o),
      }),
      () => outcome,
    );
  }

  it("forwards every event untouched and takes the final usage from message_delta", async () => {
    const whole = start + blockStart + text("Hi") + text("!") + end;
    const { out, outcome } = await anthropic(null, whole);
    expect(out).toBe(whole);
    expect(outcome).toMatchObject({
      status: 200,
      finalUsage: true,
      usage: { inputTokens: 5, outputTokens: 2 },
      cut: false,
    });
  });

  it("ends a stream past the cap the way Anthropic ends one at max_tokens", async () => {
    const { out, outcome } = await anthropic(1, start + blockStart + text("Hi") + text("!") + end);
    expect(out).not.toContain('"text":"!"');
    expect(out).toContain('"stop_reason":"max_tokens"');
    expect(out.trimEnd().endsWith('{"type":"message_stop"}')).toBe(true);
    expect(outcome).toMatchObject({
      cut: true,
      hitLength: true,
      usage: { outputTokens: 1 },
      completionText: "Hi",
    });
  });

  it("estimates from the unread deltas when the stream stops before its final usage", async () => {
    const { out, outcome } = await anthropic(null, start + blockStart + text("Hi") + text("!"));
    expect(out).toContain("event: error");
    expect(outcome).toMatchObject({
      status: 502,
      finalUsage: false,
      produced: true,
      completionText: "Hi!",
    });
  });
});
