import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors/api-error";
import { openAiSchemas } from "@/tests/helpers/openai-schemas";
import { responsesToChat } from "./responses-to-chat";

const validate = openAiSchemas();

function refusal(body: Record<string, unknown>): {
  status: number;
  param: string | null;
  message: string;
} {
  try {
    responsesToChat(body);
  } catch (error) {
    if (error instanceof ApiError)
      return { status: error.status, param: error.param, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("a Responses request as a chat request", () => {
  const cases: {
    name: string;
    request: Record<string, unknown>;
    chat: Record<string, unknown>;
    dropped?: string[];
  }[] = [
    {
      name: "string input and instructions",
      request: { model: "m", input: "Hi", instructions: "Be brief." },
      chat: {
        model: "m",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
      },
    },
    {
      name: "message items: developer becomes system, assistant history is text, user parts stay parts",
      request: {
        model: "m",
        input: [
          { type: "message", role: "developer", content: [{ type: "input_text", text: "Rules." }] },
          {
            role: "user",
            content: [
              { type: "input_text", text: "What is this?" },
              { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "low" },
            ],
          },
          {
            type: "message",
            id: "msg_0",
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: "A square.", annotations: [], logprobs: [] }],
          },
          { role: "user", content: "Thanks" },
        ],
      },
      chat: {
        model: "m",
        messages: [
          { role: "system", content: "Rules." },
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              {
                type: "image_url",
                image_url: { url: "data:image/png;base64,AAAA", detail: "low" },
              },
            ],
          },
          { role: "assistant", content: "A square." },
          { role: "user", content: "Thanks" },
        ],
      },
    },
    {
      name: "function calls join the assistant turn; their outputs are tool messages; reasoning items are left out",
      request: {
        model: "m",
        input: [
          { role: "user", content: "Weather in Oslo and Rome?" },
          { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque" },
          {
            type: "function_call",
            id: "fc_1",
            call_id: "call_a",
            name: "weather",
            arguments: '{"city":"Oslo"}',
          },
          {
            type: "function_call",
            id: "fc_2",
            call_id: "call_b",
            name: "weather",
            arguments: '{"city":"Rome"}',
          },
          { type: "function_call_output", call_id: "call_a", output: "3°C" },
          {
            type: "function_call_output",
            call_id: "call_b",
            output: [{ type: "input_text", text: "19°C" }],
          },
        ],
        tools: [
          {
            type: "function",
            name: "weather",
            description: "Weather now",
            parameters: { type: "object", properties: { city: { type: "string" } } },
            strict: true,
          },
        ],
        tool_choice: { type: "function", name: "weather" },
        parallel_tool_calls: true,
      },
      chat: {
        model: "m",
        messages: [
          { role: "user", content: "Weather in Oslo and Rome?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_a",
                type: "function",
                function: { name: "weather", arguments: '{"city":"Oslo"}' },
              },
              {
                id: "call_b",
                type: "function",
                function: { name: "weather", arguments: '{"city":"Rome"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_a", content: "3°C" },
          { role: "tool", tool_call_id: "call_b", content: "19°C" },
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "weather",
              description: "Weather now",
              parameters: { type: "object", properties: { city: { type: "string" } } },
              strict: true,
            },
          },
        ],
        tool_choice: { type: "function", function: { name: "weather" } },
        parallel_tool_calls: true,
      },
    },
    {
      name: "Codex's request: namespaces flattened, web search dropped and reported, its bookkeeping ignored",
      request: {
        model: "m",
        input: [
          {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "list the files" }],
          },
        ],
        tools: [
          {
            type: "function",
            name: "exec_command",
            strict: false,
            parameters: { type: "object", properties: { cmd: { type: "string" } } },
          },
          {
            type: "namespace",
            name: "agents",
            description: "Sub-agents",
            tools: [
              {
                type: "function",
                name: "spawn",
                strict: false,
                parameters: { type: "object", properties: {} },
              },
            ],
          },
          { type: "web_search", external_web_access: false },
        ],
        tool_choice: "auto",
        parallel_tool_calls: true,
        reasoning: { summary: "auto" },
        store: false,
        stream: true,
        include: ["reasoning.encrypted_content"],
        prompt_cache_key: "abc",
        client_metadata: { "x-codex-turn-metadata": "{}" },
      },
      chat: {
        model: "m",
        messages: [{ role: "user", content: "list the files" }],
        tools: [
          {
            type: "function",
            function: {
              name: "exec_command",
              strict: false,
              parameters: { type: "object", properties: { cmd: { type: "string" } } },
            },
          },
          {
            type: "function",
            function: {
              name: "agents__spawn",
              strict: false,
              parameters: { type: "object", properties: {} },
            },
          },
        ],
        tool_choice: "auto",
        parallel_tool_calls: true,
      },
      dropped: ["web_search"],
    },
    {
      name: "a custom tool becomes a function of one string; its calls and outputs travel that way",
      request: {
        model: "m",
        input: [
          { role: "user", content: "patch it" },
          {
            type: "custom_tool_call",
            call_id: "call_p",
            name: "apply_patch",
            input: "*** Begin Patch",
          },
          { type: "custom_tool_call_output", call_id: "call_p", output: "done" },
        ],
        tools: [{ type: "custom", name: "apply_patch", description: "Apply a patch" }],
      },
      chat: {
        model: "m",
        messages: [
          { role: "user", content: "patch it" },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_p",
                type: "function",
                function: { name: "apply_patch", arguments: '{"input":"*** Begin Patch"}' },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_p", content: "done" },
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "apply_patch",
              description: "Apply a patch",
              parameters: {
                type: "object",
                properties: {
                  input: { type: "string", description: "The tool's input, as free-form text." },
                },
                required: ["input"],
              },
            },
          },
        ],
      },
    },
    {
      name: "JSON schema output, reasoning effort, sampling; unknown fields pass through; metadata stays home",
      request: {
        model: "m",
        input: "Give me a city",
        text: {
          format: {
            type: "json_schema",
            name: "city",
            schema: { type: "object", properties: { name: { type: "string" } } },
            strict: true,
          },
        },
        reasoning: { effort: "low" },
        temperature: 0.2,
        top_p: 0.9,
        max_output_tokens: 50,
        metadata: { trace: "1" },
        top_k: 40,
      },
      chat: {
        model: "m",
        messages: [{ role: "user", content: "Give me a city" }],
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "city",
            schema: { type: "object", properties: { name: { type: "string" } } },
            strict: true,
          },
        },
        reasoning_effort: "low",
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
      },
    },
    {
      name: "JSON mode",
      request: { model: "m", input: "json please", text: { format: { type: "json_object" } } },
      chat: {
        model: "m",
        messages: [{ role: "user", content: "json please" }],
        response_format: { type: "json_object" },
      },
    },
    {
      name: "a forced hosted tool falls back to auto, reported",
      request: {
        model: "m",
        input: "x",
        tools: [
          { type: "function", name: "f", parameters: {}, strict: false },
          { type: "file_search", vector_store_ids: ["vs_1"] },
        ],
        tool_choice: { type: "file_search" },
      },
      chat: {
        model: "m",
        messages: [{ role: "user", content: "x" }],
        tools: [{ type: "function", function: { name: "f", parameters: {}, strict: false } }],
        tool_choice: "auto",
      },
      dropped: ["file_search", "tool_choice.file_search"],
    },
  ];

  for (const { name, request, chat, dropped } of cases) {
    it(name, () => {
      // Every request here is one OpenAI's own schema accepts.
      expect(validate("CreateResponse", request)).toBeNull();
      const translated = responsesToChat(request);
      expect(translated.chat).toEqual(chat);
      expect(translated.dropped).toEqual(dropped ?? []);
    });
  }

  it("remembers how flattened names map back to namespaces and custom tools", () => {
    const { toolNames } = responsesToChat({
      model: "m",
      input: "x",
      tools: [
        {
          type: "namespace",
          name: "crm",
          description: "CRM",
          tools: [{ type: "function", name: "lookup", parameters: {}, strict: false }],
        },
        { type: "custom", name: "apply_patch" },
      ],
    });
    expect(toolNames.get("crm__lookup")).toEqual({
      name: "lookup",
      namespace: "crm",
      custom: false,
    });
    expect(toolNames.get("apply_patch")).toEqual({
      name: "apply_patch",
      namespace: null,
      custom: true,
    });
  });
});

describe("what a chat upstream cannot do is refused with a 400 that says why", () => {
  const cases: { name: string; request: Record<string, unknown>; param: string; says: RegExp }[] = [
    {
      name: "previous_response_id",
      request: { model: "m", input: "x", previous_response_id: "resp_1" },
      param: "previous_response_id",
      says: /stored/,
    },
    {
      name: "store: true",
      request: { model: "m", input: "x", store: true },
      param: "store",
      says: /no response is stored/,
    },
    {
      name: "conversation",
      request: { model: "m", input: "x", conversation: "conv_1" },
      param: "conversation",
      says: /stored/,
    },
    {
      name: "background",
      request: { model: "m", input: "x", background: true },
      param: "background",
      says: /stored/,
    },
    {
      name: "a stored prompt",
      request: { model: "m", prompt: { id: "pmpt_1" } },
      param: "prompt",
      says: /stored on OpenAI/,
    },
    {
      name: "an item reference",
      request: { model: "m", input: [{ type: "item_reference", id: "msg_1" }] },
      param: "input[0].type",
      says: /stored/,
    },
    {
      name: "an image by file id",
      request: {
        model: "m",
        input: [
          { role: "user", content: [{ type: "input_image", file_id: "file_1", detail: "auto" }] },
        ],
      },
      param: "input[0].content[0].image_url",
      says: /file ids/,
    },
    {
      name: "an unknown item",
      request: { model: "m", input: [{ type: "computer_call_output", call_id: "c", output: {} }] },
      param: "input[0].type",
      says: /computer_call_output/,
    },
    { name: "no input at all", request: { model: "m" }, param: "input", says: /no input/ },
    {
      name: "a tool output without its call",
      request: { model: "m", input: [{ type: "function_call_output", output: "x" }] },
      param: "input[0].call_id",
      says: /call_id/,
    },
  ];
  for (const { name, request, param, says } of cases) {
    it(name, () => {
      const refused = refusal(request);
      expect(refused.status).toBe(400);
      expect(refused.param).toBe(param);
      expect(refused.message).toMatch(says);
    });
  }

  it("store: false is fine (it is what Codex sends)", () => {
    expect(() => responsesToChat({ model: "m", input: "x", store: false })).not.toThrow();
  });
});
