import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors/api-error";
import type { AnthropicMessagesRequest } from "./anthropic-types";
import { messagesRequestToChat } from "./messages-request-to-chat";

const base = { model: "m", max_tokens: 100 };
const translate = (request: Partial<AnthropicMessagesRequest>) =>
  messagesRequestToChat({
    ...base,
    messages: [{ role: "user", content: "hi" }],
    ...request,
  } as AnthropicMessagesRequest);

describe("Anthropic Messages request → Chat Completions request", () => {
  const cases: {
    name: string;
    request: Partial<AnthropicMessagesRequest>;
    expected: Record<string, unknown>;
  }[] = [
    {
      name: "system as a string leads",
      request: { system: "be brief" },
      expected: {
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hi" },
        ],
      },
    },
    {
      name: "system as blocks, cache_control dropped",
      request: {
        system: [
          { type: "text", text: "a", cache_control: { type: "ephemeral" } },
          { type: "text", text: "b" },
        ],
      },
      expected: {
        messages: [
          { role: "system", content: "a\n\nb" },
          { role: "user", content: "hi" },
        ],
      },
    },
    {
      name: "a system message in the middle stays there",
      request: {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
          { role: "system", content: [{ type: "text", text: "reminder" }] },
          { role: "user", content: "again" },
        ],
      },
      expected: {
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
          { role: "system", content: "reminder" },
          { role: "user", content: "again" },
        ],
      },
    },
    {
      name: "text blocks join into a string; an image makes content parts",
      request: {
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a", cache_control: { type: "ephemeral" } },
              { type: "text", text: "b" },
            ],
          },
          { role: "assistant", content: "ok" },
          {
            role: "user",
            content: [
              { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
              { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
              { type: "text", text: "what is this" },
            ],
          },
        ],
      },
      expected: {
        messages: [
          { role: "user", content: "a\n\nb" },
          { role: "assistant", content: "ok" },
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
              { type: "image_url", image_url: { url: "https://example.com/a.png" } },
              { type: "text", text: "what is this" },
            ],
          },
        ],
      },
    },
    {
      name: "tool use and tool results, thinking dropped, results before the rest of the turn",
      request: {
        messages: [
          { role: "user", content: "list files" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "hmm", signature: "sig" },
              { type: "text", text: "Let me look." },
              { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
              { type: "tool_use", id: "toolu_2", name: "Read", input: { path: "a" } },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "a\nb" },
              {
                type: "tool_result",
                tool_use_id: "toolu_2",
                content: [{ type: "text", text: "nope" }],
                is_error: true,
              },
              { type: "text", text: "go on" },
            ],
          },
        ],
      },
      expected: {
        messages: [
          { role: "user", content: "list files" },
          {
            role: "assistant",
            content: "Let me look.",
            tool_calls: [
              {
                id: "toolu_1",
                type: "function",
                function: { name: "Bash", arguments: '{"command":"ls"}' },
              },
              {
                id: "toolu_2",
                type: "function",
                function: { name: "Read", arguments: '{"path":"a"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "toolu_1", content: "a\nb" },
          { role: "tool", tool_call_id: "toolu_2", content: "Error: nope" },
          { role: "user", content: "go on" },
        ],
      },
    },
    {
      name: "sampling, stops, metadata, streaming with usage",
      request: {
        stream: true,
        stop_sequences: ["END"],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        metadata: { user_id: "u1" },
      },
      expected: {
        stream: true,
        stream_options: { include_usage: true },
        stop: ["END"],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        user: "u1",
      },
    },
    {
      name: "tools and tool_choice any, parallel off",
      request: {
        tools: [
          {
            name: "get_weather",
            description: "weather",
            input_schema: { type: "object", properties: { city: { type: "string" } } },
            cache_control: { type: "ephemeral" },
          },
        ],
        tool_choice: { type: "any", disable_parallel_tool_use: true },
      },
      expected: {
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "weather",
              parameters: { type: "object", properties: { city: { type: "string" } } },
            },
          },
        ],
        tool_choice: "required",
        parallel_tool_calls: false,
      },
    },
    {
      name: "a named tool choice",
      request: {
        tools: [{ name: "t", input_schema: { type: "object" } }],
        tool_choice: { type: "tool", name: "t" },
      },
      expected: { tool_choice: { type: "function", function: { name: "t" } } },
    },
    {
      name: "thinking budget as reasoning effort",
      request: { thinking: { type: "enabled", budget_tokens: 10000 } },
      expected: { reasoning_effort: "high" },
    },
    {
      name: "a small thinking budget",
      request: { thinking: { type: "enabled", budget_tokens: 1024 } },
      expected: { reasoning_effort: "low" },
    },
    {
      name: "structured output",
      request: { output_config: { format: { type: "json_schema", schema: { type: "object" } } } },
      expected: {
        response_format: {
          type: "json_schema",
          json_schema: { name: "output", schema: { type: "object" }, strict: true },
        },
      },
    },
  ];

  it.each(cases)("$name", ({ request, expected }) => {
    const { body } = translate(request);
    expect(body).toMatchObject({ model: "m", max_tokens: 100, ...expected });
  });

  it("disabled thinking and platform hints say nothing upstream", () => {
    const { body } = translate({
      thinking: { type: "disabled" },
      service_tier: "auto",
      context_management: { edits: [] },
    });
    expect(body).toEqual({
      model: "m",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
  });

  it("tools only Anthropic's platform runs are left out and reported", () => {
    const { body, dropped } = translate({
      tools: [
        { name: "web_search", type: "web_search_20250305" },
        { name: "Bash", input_schema: { type: "object" } },
      ],
    });
    expect(body.tools).toEqual([
      { type: "function", function: { name: "Bash", parameters: { type: "object" } } },
    ]);
    expect(dropped).toEqual(["tools.web_search"]);
  });

  const refused: { name: string; request: Partial<AnthropicMessagesRequest>; param: string }[] = [
    { name: "MCP servers", request: { mcp_servers: [{ url: "x" }] }, param: "mcp_servers" },
    { name: "a container", request: { container: "c" }, param: "container" },
    {
      name: "a file-id image",
      request: {
        messages: [
          { role: "user", content: [{ type: "image", source: { type: "file", file_id: "f" } }] },
        ],
      },
      param: "messages.0.content.0.source.type",
    },
    {
      name: "a search result block",
      request: { messages: [{ role: "user", content: [{ type: "search_result", source: "s" }] }] },
      param: "messages.0.content.0.type",
    },
    {
      name: "a tool choice naming a dropped tool",
      request: {
        tools: [{ name: "web_search", type: "web_search_20250305" }],
        tool_choice: { type: "tool", name: "web_search" },
      },
      param: "tool_choice.name",
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
    expect((error as ApiError).message).toContain(param);
  });
});
