import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors/api-error";
import { chatRequestToMessages, fitThinkingToCap } from "./chat-request-to-messages";
import type { ChatRequest } from "./openai-chat-types";

const translate = (request: Partial<ChatRequest>) =>
  chatRequestToMessages(
    { model: "claude", messages: [{ role: "user", content: "hi" }], ...request } as ChatRequest,
    4096,
  );

describe("Chat Completions request → Anthropic Messages request", () => {
  const cases: {
    name: string;
    request: Partial<ChatRequest>;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "the token cap defaults to the model's",
      request: {},
      expected: {
        max_tokens: 4096,
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      },
    },
    {
      name: "max_completion_tokens wins",
      request: { max_completion_tokens: 50, max_tokens: 80 },
      expected: { max_tokens: 50 },
    },
    {
      name: "leading system and developer messages become system; a later one stays in place",
      request: {
        messages: [
          { role: "system", content: "a" },
          { role: "developer", content: [{ type: "text", text: "b" }] },
          { role: "user", content: "hi" },
          { role: "system", content: "c" },
        ],
      },
      expected: {
        system: "a\n\nb",
        messages: [
          { role: "user", content: [{ type: "text", text: "hi" }] },
          { role: "system", content: "c" },
        ],
      },
    },
    {
      name: "images: data URLs as base64, others as URL sources",
      request: {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "look" },
              { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/" } },
              { type: "image_url", image_url: { url: "https://example.com/x.png" } },
            ],
          },
        ],
      },
      expected: {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "look" },
              { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/" } },
              { type: "image", source: { type: "url", url: "https://example.com/x.png" } },
            ],
          },
        ],
      },
    },
    {
      name: "tool calls and tool results; consecutive tool messages and the next user turn merge",
      request: {
        messages: [
          { role: "user", content: "weather?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "c1",
                type: "function",
                function: { name: "w", arguments: '{"city":"Paris"}' },
              },
              { id: "c2", type: "function", function: { name: "w", arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: "tool", tool_call_id: "c1", content: "sunny" },
          { role: "tool", tool_call_id: "c2", content: [{ type: "text", text: "rain" }] },
          { role: "user", content: "thanks" },
        ],
      },
      expected: {
        messages: [
          { role: "user", content: [{ type: "text", text: "weather?" }] },
          {
            role: "assistant",
            content: [
              { type: "tool_use", id: "c1", name: "w", input: { city: "Paris" } },
              { type: "tool_use", id: "c2", name: "w", input: { city: "Rome" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "c1", content: "sunny" },
              { type: "tool_result", tool_use_id: "c2", content: "rain" },
              { type: "text", text: "thanks" },
            ],
          },
        ],
      },
    },
    {
      name: "tools, tool_choice required, parallel calls off",
      request: {
        tools: [
          {
            type: "function",
            function: {
              name: "w",
              description: "weather",
              parameters: { type: "object", properties: {} },
            },
          },
        ],
        tool_choice: "required",
        parallel_tool_calls: false,
      },
      expected: {
        tools: [
          { name: "w", description: "weather", input_schema: { type: "object", properties: {} } },
        ],
        tool_choice: { type: "any", disable_parallel_tool_use: true },
      },
    },
    {
      name: "a named tool choice",
      request: {
        tools: [{ type: "function", function: { name: "w" } }],
        tool_choice: { type: "function", function: { name: "w" } },
      },
      expected: { tool_choice: { type: "tool", name: "w" } },
    },
    {
      name: "tool_choice none",
      request: { tools: [{ type: "function", function: { name: "w" } }], tool_choice: "none" },
      expected: { tool_choice: { type: "none" } },
    },
    { name: "stop as a string", request: { stop: "END" }, expected: { stop_sequences: ["END"] } },
    {
      name: "stop as an array, sampling, user",
      request: { stop: ["a", "b"], temperature: 0.3, top_p: 0.5, user: "u" },
      expected: {
        stop_sequences: ["a", "b"],
        temperature: 0.3,
        top_p: 0.5,
        metadata: { user_id: "u" },
      },
    },
    {
      name: "temperature clamped to Anthropic's range",
      request: { temperature: 1.7 },
      expected: { temperature: 1 },
    },
    {
      name: "reasoning effort as a thinking budget",
      request: { reasoning_effort: "medium", max_tokens: 8000 },
      expected: { thinking: { type: "enabled", budget_tokens: 4096 } },
    },
    {
      name: "JSON schema output through a forced tool",
      request: {
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "person",
            schema: { type: "object", properties: { name: { type: "string" } } },
          },
        },
      },
      expected: {
        tools: [
          expect.objectContaining({
            name: "person",
            input_schema: { type: "object", properties: { name: { type: "string" } } },
          }),
        ],
        tool_choice: { type: "tool", name: "person" },
      },
    },
    {
      name: "streaming",
      request: { stream: true, stream_options: { include_usage: true } },
      expected: { stream: true },
    },
  ];

  it.each(cases)("$name", ({ request, expected }) => {
    expect(translate(request).body).toMatchObject({ model: "claude", ...expected });
  });

  it("JSON output names its tool, and platform-only fields are dropped and reported", () => {
    const result = translate({ response_format: { type: "json_object" }, seed: 4, store: true });
    expect(result.jsonTool).toBe("json_output");
    expect(result.dropped).toEqual(["seed", "store"]);
    expect(result.body).not.toHaveProperty("seed");
  });

  it("an empty assistant turn is left out (Anthropic refuses empty content)", () => {
    const { body } = translate({
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: "" },
        { role: "user", content: "b" },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
    ]);
  });

  const refused: { name: string; request: Partial<ChatRequest>; param: string }[] = [
    { name: "n > 1", request: { n: 2 }, param: "n" },
    { name: "logprobs", request: { logprobs: true }, param: "logprobs" },
    { name: "top_logprobs", request: { top_logprobs: 3 }, param: "top_logprobs" },
    { name: "logit_bias", request: { logit_bias: { "50256": -100 } }, param: "logit_bias" },
    { name: "a presence penalty", request: { presence_penalty: 0.5 }, param: "presence_penalty" },
    { name: "a frequency penalty", request: { frequency_penalty: 1 }, param: "frequency_penalty" },
    { name: "audio output", request: { audio: { voice: "alloy" } }, param: "audio" },
    {
      name: "an unknown field",
      request: { chat_template_kwargs: {} },
      param: "chat_template_kwargs",
    },
    {
      name: "an audio input part",
      request: { messages: [{ role: "user", content: [{ type: "input_audio" }] }] },
      param: "messages.0.content.0.type",
    },
    {
      name: "a legacy function message",
      request: { messages: [{ role: "function", content: "x", name: "f" }] },
      param: "messages.0.role",
    },
    {
      name: "tool arguments that are not a JSON object",
      request: {
        messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "[1]" } }],
          },
        ],
      },
      param: "messages.0.tool_calls.0.function.arguments",
    },
    {
      name: "a custom (freeform) tool",
      request: { tools: [{ type: "custom", custom: { name: "x" } } as never] },
      param: "tools.0.type",
    },
    {
      name: "a tool choice naming no tool",
      request: { tool_choice: { type: "function", function: { name: "nope" } } },
      param: "tool_choice.function.name",
    },
  ];

  it.each(refused)("refuses $name with a 400 naming the field", ({ request, param }) => {
    let error: unknown;
    try {
      translate(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).param).toBe(param);
  });

  it("zero penalties and n = 1 are what OpenAI clients send by default: accepted", () => {
    expect(() =>
      translate({ n: 1, presence_penalty: 0, frequency_penalty: 0, logprobs: false }),
    ).not.toThrow();
  });
});

describe("the token cap and a thinking budget", () => {
  it.each([
    { cap: 20000, budget: 4096, expected: { type: "enabled", budget_tokens: 4096 } },
    { cap: 3000, budget: 4096, expected: { type: "enabled", budget_tokens: 2999 } },
    { cap: 1000, budget: 4096, expected: undefined },
  ])("cap $cap, budget $budget", ({ cap, budget, expected }) => {
    const body = fitThinkingToCap(
      { max_tokens: 30000, thinking: { type: "enabled", budget_tokens: budget } },
      cap,
    );
    expect(body.max_tokens).toBe(cap);
    expect(body.thinking).toEqual(expected);
  });
});
