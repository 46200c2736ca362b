import { describe, expect, it } from "vitest";
import type { AnthropicStreamEvent } from "./anthropic-types";
import { chatAnswerToMessages } from "./chat-answer-to-messages";
import { anthropicSse, ChatStreamToMessages } from "./chat-stream-to-messages";
import type { ChatChunk, ChatCompletion } from "./openai-chat-types";

const completion = (
  message: Record<string, unknown>,
  finish: string,
  extra: Record<string, unknown> = {},
): ChatCompletion => ({
  id: "chatcmpl-abc",
  object: "chat.completion",
  created: 1,
  model: "upstream",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: null, ...message },
      finish_reason: finish,
      ...extra,
    },
  ],
  usage: {
    prompt_tokens: 30,
    completion_tokens: 7,
    total_tokens: 37,
    prompt_tokens_details: { cached_tokens: 10 },
  },
});

describe("Chat Completions answer → Anthropic Message", () => {
  it.each([
    { finish: "stop", stop_reason: "end_turn" },
    { finish: "length", stop_reason: "max_tokens" },
    { finish: "tool_calls", stop_reason: "tool_use" },
    { finish: "content_filter", stop_reason: "refusal" },
  ])("finish_reason $finish → stop_reason $stop_reason", ({ finish, stop_reason }) => {
    expect(
      chatAnswerToMessages(completion({ content: "x" }, finish), { model: "claude" }).stop_reason,
    ).toBe(stop_reason);
  });

  it("text, reasoning and tool calls become blocks; usage splits cached tokens out", () => {
    const message = chatAnswerToMessages(
      completion(
        {
          content: "Here.",
          reasoning_content: "thinking…",
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "Bash", arguments: '{"command":"ls"}' },
            },
          ],
        },
        "tool_calls",
      ),
      { model: "claude" },
    );
    expect(message).toEqual({
      id: "msg_abc",
      type: "message",
      role: "assistant",
      model: "claude",
      content: [
        { type: "thinking", thinking: "thinking…", signature: "" },
        { type: "text", text: "Here.", citations: null },
        {
          type: "tool_use",
          id: "call_1",
          name: "Bash",
          input: { command: "ls" },
          caller: { type: "direct" },
        },
      ],
      container: null,
      diagnostics: null,
      stop_details: null,
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: expect.objectContaining({
        input_tokens: 20,
        cache_read_input_tokens: 10,
        cache_creation_input_tokens: 0,
        output_tokens: 7,
      }),
    });
  });

  it("a stop sequence vLLM names in stop_reason is reported as one", () => {
    const message = chatAnswerToMessages(
      completion({ content: "a" }, "stop", { stop_reason: "END" }),
      { model: "c", stopSequences: ["END"] },
    );
    expect(message.stop_reason).toBe("stop_sequence");
    expect(message.stop_sequence).toBe("END");
  });

  it("malformed tool arguments become an empty input", () => {
    const message = chatAnswerToMessages(
      completion(
        {
          tool_calls: [{ id: "c", type: "function", function: { name: "t", arguments: "{oops" } }],
        },
        "tool_calls",
      ),
      { model: "c" },
    );
    expect(message.content).toEqual([
      { type: "tool_use", id: "c", name: "t", input: {}, caller: { type: "direct" } },
    ]);
  });
});

const chunk = (
  delta: ChatChunk["choices"][number]["delta"],
  finish: string | null = null,
  extra: Partial<ChatChunk> = {},
): ChatChunk => ({
  id: "chatcmpl-s1",
  object: "chat.completion.chunk",
  created: 1,
  model: "upstream",
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});

function run(chunks: ChatChunk[]): AnthropicStreamEvent[] {
  const translator = new ChatStreamToMessages({ model: "claude", inputTokensEstimate: 5 });
  return [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
}

const kinds = (events: AnthropicStreamEvent[]) =>
  events.map((e) =>
    e.type === "content_block_delta"
      ? `${e.type}:${e.index}:${e.delta.type}`
      : "index" in e
        ? `${e.type}:${e.index}`
        : e.type,
  );

describe("Chat Completions stream → Anthropic stream events", () => {
  it("reasoning, text and two tool calls stream as blocks in order, usage in message_delta", () => {
    const events = run([
      chunk({ role: "assistant", content: "" }),
      chunk({ reasoning_content: "let me" }),
      chunk({ reasoning_content: " think" }),
      chunk({ content: "Sure." }),
      chunk({
        tool_calls: [
          { index: 0, id: "call_a", type: "function", function: { name: "Bash", arguments: "" } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"comm' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'and":"ls"}' } }] }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: "call_b",
            type: "function",
            function: { name: "Read", arguments: '{"path":"x"}' },
          },
        ],
      }),
      chunk({}, "tool_calls"),
      {
        ...chunk({}),
        choices: [],
        usage: {
          prompt_tokens: 50,
          completion_tokens: 12,
          total_tokens: 62,
          prompt_tokens_details: { cached_tokens: 20 },
        },
      },
    ]);
    expect(kinds(events)).toEqual([
      "message_start",
      "ping",
      "content_block_start:0",
      "content_block_delta:0:thinking_delta",
      "content_block_delta:0:thinking_delta",
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1:text_delta",
      "content_block_stop:1",
      "content_block_start:2",
      "content_block_delta:2:input_json_delta",
      "content_block_delta:2:input_json_delta",
      "content_block_stop:2",
      "content_block_start:3",
      "content_block_delta:3:input_json_delta",
      "content_block_stop:3",
      "message_delta",
      "message_stop",
    ]);
    expect(events[2]).toMatchObject({ content_block: { type: "thinking", thinking: "" } });
    expect(events[9]).toMatchObject({
      content_block: { type: "tool_use", id: "call_a", name: "Bash", input: {} },
    });
    const json = events
      .filter((e) => e.type === "content_block_delta" && e.index === 2)
      .map((e) => (e as { delta: { partial_json: string } }).delta.partial_json);
    expect(JSON.parse(json.join(""))).toEqual({ command: "ls" });
    expect(events.at(-2)).toMatchObject({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 12 },
    });
    expect(events[0]).toMatchObject({
      message: {
        id: "msg_s1",
        model: "claude",
        content: [],
        usage: { input_tokens: 5, output_tokens: 0 },
      },
    });
  });

  it.each([
    { finish: "stop", stop_reason: "end_turn" },
    { finish: "length", stop_reason: "max_tokens" },
  ])("finish $finish → message_delta stop_reason $stop_reason", ({ finish, stop_reason }) => {
    const events = run([chunk({ content: "hi" }), chunk({}, finish)]);
    expect(events.find((e) => e.type === "message_delta")).toMatchObject({
      delta: { stop_reason },
    });
  });

  it("an empty stream still opens and closes a message", () => {
    expect(kinds(run([]))).toEqual(["message_start", "ping", "message_delta", "message_stop"]);
  });

  it("a late argument piece of an earlier tool call goes to that call's block", () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: "a", function: { name: "A", arguments: "{" } }] }),
      chunk({ tool_calls: [{ index: 1, id: "b", function: { name: "B", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "}" } }] }),
    ]);
    expect(
      events
        .filter((e) => e.type === "content_block_delta")
        .map((e) => (e as { index: number }).index),
    ).toEqual([0, 1, 0]);
  });

  it("fail ends the stream with an error event", () => {
    const translator = new ChatStreamToMessages({ model: "c", inputTokensEstimate: 0 });
    translator.push(chunk({ content: "x" }));
    expect(translator.fail("api_error", "boom")).toEqual([
      { type: "error", error: { type: "api_error", message: "boom" } },
    ]);
    expect(translator.end()).toEqual([]);
  });

  it("writes events as Anthropic does on the wire", () => {
    expect(anthropicSse({ type: "ping" })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
