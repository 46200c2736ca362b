import { describe, expect, it } from "vitest";
import type { AnthropicMessage, AnthropicStreamEvent } from "./anthropic-types";
import { messagesAnswerToChat } from "./messages-answer-to-chat";
import { MessagesStreamToChat } from "./messages-stream-to-chat";

const usage = {
  input_tokens: 10,
  output_tokens: 5,
  cache_read_input_tokens: 100,
  cache_creation_input_tokens: 20,
};
const message = (
  content: AnthropicMessage["content"],
  stop_reason: AnthropicMessage["stop_reason"],
): AnthropicMessage => ({
  id: "msg_01",
  type: "message",
  role: "assistant",
  model: "claude-x",
  content,
  stop_reason,
  stop_sequence: null,
  usage,
});

describe("Anthropic Message → Chat Completions answer", () => {
  it.each([
    { stop_reason: "end_turn", finish: "stop" },
    { stop_reason: "stop_sequence", finish: "stop" },
    { stop_reason: "max_tokens", finish: "length" },
    { stop_reason: "tool_use", finish: "tool_calls" },
    { stop_reason: "refusal", finish: "content_filter" },
    { stop_reason: "model_context_window_exceeded", finish: "length" },
  ] as const)("stop_reason $stop_reason → finish_reason $finish", ({ stop_reason, finish }) => {
    expect(
      messagesAnswerToChat(message([{ type: "text", text: "x", citations: null }], stop_reason), {
        model: "m",
        jsonTool: null,
      }).choices[0].finish_reason,
    ).toBe(finish);
  });

  it("text, thinking and tool use; prompt usage includes both cache kinds", () => {
    const answer = messagesAnswerToChat(
      message(
        [
          { type: "thinking", thinking: "hmm", signature: "s" },
          { type: "text", text: "Checking.", citations: null },
          { type: "tool_use", id: "toolu_1", name: "w", input: { city: "Paris" } },
        ],
        "tool_use",
      ),
      { model: "my-claude", jsonTool: null, created: 7 },
    );
    expect(answer).toEqual({
      id: "chatcmpl-01",
      object: "chat.completion",
      created: 7,
      model: "my-claude",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Checking.",
            refusal: null,
            reasoning_content: "hmm",
            tool_calls: [
              {
                id: "toolu_1",
                type: "function",
                function: { name: "w", arguments: '{"city":"Paris"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: "tool_calls",
        },
      ],
      usage: {
        prompt_tokens: 130,
        completion_tokens: 5,
        total_tokens: 135,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });

  it("the JSON-output tool's call comes back as the text answer", () => {
    const answer = messagesAnswerToChat(
      message([{ type: "tool_use", id: "t", name: "json_output", input: { a: 1 } }], "tool_use"),
      { model: "m", jsonTool: "json_output" },
    );
    expect(answer.choices[0]).toMatchObject({
      message: { content: '{"a":1}' },
      finish_reason: "stop",
    });
    expect(answer.choices[0].message.tool_calls).toBeUndefined();
  });
});

const start: AnthropicStreamEvent = {
  type: "message_start",
  message: { ...message([], null), usage: { ...usage, output_tokens: 1 } },
};

function run(events: AnthropicStreamEvent[], jsonTool: string | null = null, includeUsage = true) {
  const translator = new MessagesStreamToChat({ model: "m", jsonTool, includeUsage, created: 1 });
  return { chunks: events.flatMap((e) => translator.push(e)), usage: translator.tokenUsage };
}

describe("Anthropic stream events → Chat Completions chunks", () => {
  it("every event kind", () => {
    const { chunks, usage: tokens } = run([
      start,
      { type: "ping" },
      {
        type: "content_block_start",
        index: 0,
        content_block: { type: "thinking", thinking: "", signature: "" },
      },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "hmm" } },
      {
        type: "content_block_delta",
        index: 0,
        delta: { type: "signature_delta", signature: "sig" },
      },
      { type: "content_block_stop", index: 0 },
      {
        type: "content_block_start",
        index: 1,
        content_block: { type: "text", text: "", citations: null },
      },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "toolu_9", name: "w", input: {} },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: "" },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: '{"a":' },
      },
      {
        type: "content_block_delta",
        index: 2,
        delta: { type: "input_json_delta", partial_json: "1}" },
      },
      { type: "content_block_stop", index: 2 },
      {
        type: "message_delta",
        delta: { stop_reason: "tool_use", stop_sequence: null },
        usage: { output_tokens: 42 },
      },
      { type: "message_stop" },
    ]);
    expect(
      chunks.map((c) =>
        c.choices[0]
          ? { delta: c.choices[0].delta, finish: c.choices[0].finish_reason }
          : { usage: c.usage },
      ),
    ).toEqual([
      { delta: { role: "assistant", content: "" }, finish: null },
      { delta: { reasoning_content: "hmm" }, finish: null },
      { delta: { content: "Hi" }, finish: null },
      {
        delta: {
          tool_calls: [
            { index: 0, id: "toolu_9", type: "function", function: { name: "w", arguments: "" } },
          ],
        },
        finish: null,
      },
      { delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }, finish: null },
      { delta: { tool_calls: [{ index: 0, function: { arguments: "1}" } }] }, finish: null },
      { delta: {}, finish: "tool_calls" },
      {
        usage: {
          prompt_tokens: 130,
          completion_tokens: 42,
          total_tokens: 172,
          prompt_tokens_details: { cached_tokens: 100 },
        },
      },
    ]);
    expect(
      chunks.every(
        (c) => c.id === "chatcmpl-01" && c.object === "chat.completion.chunk" && c.model === "m",
      ),
    ).toBe(true);
    expect(tokens).toEqual({
      inputTokens: 10,
      outputTokens: 42,
      cacheReadTokens: 100,
      cacheWriteTokens: 20,
    });
  });

  it("the usage chunk only when asked for", () => {
    const { chunks } = run(
      [
        start,
        {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: { output_tokens: 3 },
        },
        { type: "message_stop" },
      ],
      null,
      false,
    );
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe("stop");
  });

  it("the JSON-output tool streams as content", () => {
    const { chunks } = run(
      [
        start,
        {
          type: "content_block_start",
          index: 0,
          content_block: { type: "tool_use", id: "t", name: "json_output", input: {} },
        },
        {
          type: "content_block_delta",
          index: 0,
          delta: { type: "input_json_delta", partial_json: '{"a":1}' },
        },
        { type: "content_block_stop", index: 0 },
        {
          type: "message_delta",
          delta: { stop_reason: "tool_use", stop_sequence: null },
          usage: { output_tokens: 3 },
        },
        { type: "message_stop" },
      ],
      "json_output",
      false,
    );
    expect(
      chunks.map((c) => [c.choices[0].delta.content ?? null, c.choices[0].finish_reason]),
    ).toEqual([
      ["", null],
      ['{"a":1}', null],
      [null, "stop"],
    ]);
  });
});
