import { describe, expect, it } from "vitest";
import { openAiSchemas } from "@/tests/helpers/openai-schemas";
import { chatToResponse } from "./chat-to-response";
import { responseBase } from "./response-object";
import { responsesToChat } from "./responses-to-chat";

const validate = openAiSchemas();

const request = {
  model: "acme/model",
  input: "Weather?",
  instructions: "Be brief.",
  max_output_tokens: 100,
  metadata: { trace: "t1" },
  tools: [
    {
      type: "function",
      name: "weather",
      parameters: { type: "object", properties: {} },
      strict: false,
    },
    {
      type: "namespace",
      name: "crm",
      description: "CRM",
      tools: [{ type: "function", name: "lookup", parameters: {}, strict: false }],
    },
    { type: "custom", name: "apply_patch" },
  ],
};
const { toolNames } = responsesToChat(request);
const base = responseBase(request, "acme/model", 1_700_000_000);

const completion = (
  message: Record<string, unknown>,
  finish = "stop",
  usage: Record<string, unknown> | null = {
    prompt_tokens: 20,
    completion_tokens: 7,
    total_tokens: 27,
  },
) => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "upstream",
  choices: [
    { index: 0, message: { role: "assistant", ...message }, finish_reason: finish, logprobs: null },
  ],
  ...(usage ? { usage } : {}),
});

describe("a chat answer as a Response", () => {
  it("text: one message item, usage in Responses' terms, the request's settings echoed", () => {
    const response = chatToResponse(
      completion({ content: "Sunny." }, "stop", {
        prompt_tokens: 20,
        completion_tokens: 7,
        total_tokens: 27,
        prompt_tokens_details: { cached_tokens: 8 },
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
      base,
      toolNames,
    );
    expect(validate("Response", response)).toBeNull();
    expect(response).toMatchObject({
      object: "response",
      status: "completed",
      model: "acme/model",
      instructions: "Be brief.",
      max_output_tokens: 100,
      metadata: { trace: "t1" },
      output: [
        {
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Sunny.", annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 20,
        input_tokens_details: { cached_tokens: 8 },
        output_tokens: 7,
        output_tokens_details: { reasoning_tokens: 2 },
        total_tokens: 27,
      },
    });
    expect(String(response.id)).toMatch(/^resp_/);
  });

  it("tool calls: function calls keep their call ids; namespaced and custom tools come back as declared", () => {
    const response = chatToResponse(
      completion(
        {
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Oslo"}' },
            },
            { id: "call_2", type: "function", function: { name: "crm__lookup", arguments: "{}" } },
            {
              id: "call_3",
              type: "function",
              function: { name: "apply_patch", arguments: '{"input":"*** Begin Patch"}' },
            },
          ],
        },
        "tool_calls",
      ),
      base,
      toolNames,
    );
    expect(validate("Response", response)).toBeNull();
    expect(response.output).toMatchObject([
      {
        type: "function_call",
        call_id: "call_1",
        name: "weather",
        arguments: '{"city":"Oslo"}',
        status: "completed",
      },
      {
        type: "function_call",
        call_id: "call_2",
        namespace: "crm",
        name: "lookup",
        arguments: "{}",
      },
      {
        type: "custom_tool_call",
        call_id: "call_3",
        name: "apply_patch",
        input: "*** Begin Patch",
      },
    ]);
    expect((response.output as { namespace?: string }[])[0].namespace).toBeUndefined();
  });

  it("reasoning text (vLLM's reasoning_content) becomes a reasoning item before the message", () => {
    const response = chatToResponse(
      completion({ content: "42", reasoning_content: "Think: 6×7." }),
      base,
      toolNames,
    );
    expect(validate("Response", response)).toBeNull();
    expect(response.output).toMatchObject([
      {
        type: "reasoning",
        summary: [],
        content: [{ type: "reasoning_text", text: "Think: 6×7." }],
      },
      { type: "message", content: [{ type: "output_text", text: "42" }] },
    ]);
  });

  it("stopped at the token cap: incomplete, reason max_output_tokens", () => {
    const response = chatToResponse(completion({ content: "Sun" }, "length"), base, toolNames);
    expect(validate("Response", response)).toBeNull();
    expect(response).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
  });

  it("a refusal is a refusal part", () => {
    const response = chatToResponse(
      completion({ content: null, refusal: "I can't help with that." }),
      base,
      toolNames,
    );
    expect(validate("Response", response)).toBeNull();
    expect(response.output).toMatchObject([
      { type: "message", content: [{ type: "refusal", refusal: "I can't help with that." }] },
    ]);
  });

  it("no usage from the upstream: no usage (the gateway meters by its own count)", () => {
    const response = chatToResponse(completion({ content: "Hi" }, "stop", null), base, toolNames);
    expect(validate("Response", response)).toBeNull();
    expect(response.usage).toBeUndefined();
  });

  it("an answer with no choices is the upstream's error (502)", () => {
    expect(() => chatToResponse({ id: "x", choices: [] }, base, toolNames)).toThrow(
      expect.objectContaining({ status: 502, code: "upstream_error" }),
    );
  });
});
