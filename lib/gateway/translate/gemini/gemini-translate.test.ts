import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors/api-error";
import { chatAnswerToGemini } from "./chat-answer-to-gemini";
import { chatRequestToGemini, FOREIGN_THOUGHT_SIGNATURE } from "./chat-request-to-gemini";
import { ChatStreamToGemini } from "./chat-stream-to-gemini";
import { geminiAnswerToChat } from "./gemini-answer-to-chat";
import { geminiErrorBody } from "./gemini-error";
import { geminiRequestToChat } from "./gemini-request-to-chat";
import { GeminiStreamToChat } from "./gemini-stream-to-chat";
import type { GeminiRequest, GeminiResponse } from "./gemini-types";
import type { ChatChunk, ChatUsage } from "../openai-chat-types";
import { tokenUsageOfGemini } from "./gemini-usage";

/** What Gemini CLI sends on the second turn of a tool loop (shapes taken from a real run). */
const cliTurn: GeminiRequest = {
  systemInstruction: { parts: [{ text: "You are a CLI agent." }] },
  contents: [
    { role: "user", parts: [{ text: "<session_context>…" }, { text: "Print ok with the shell." }] },
    {
      role: "model",
      parts: [
        { text: "Let me think.", thought: true },
        {
          functionCall: { name: "run_shell_command", args: { command: "echo ok" } },
          thoughtSignature: "c2ln",
        },
      ],
    },
    {
      role: "user",
      parts: [{ functionResponse: { name: "run_shell_command", response: { output: "ok\n" } } }],
    },
  ],
  tools: [
    {
      functionDeclarations: [
        {
          name: "run_shell_command",
          description: "Runs a command",
          parametersJsonSchema: {
            type: "object",
            properties: { command: { type: "string" } },
            required: ["command"],
          },
        },
        {
          name: "old_style",
          parameters: { type: "OBJECT", properties: { n: { type: "INTEGER", nullable: true } } },
        },
      ],
    },
    { googleSearch: {} },
  ],
  toolConfig: {
    functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["run_shell_command"] },
  },
  generationConfig: {
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxOutputTokens: 100,
    stopSequences: ["END"],
    thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
    responseMimeType: "application/json",
    responseJsonSchema: { type: "object" },
  },
  safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
};

describe("Gemini request → chat", () => {
  it("maps a tool-loop turn: system, roles, thoughts, the call and its answer by name, tools, config", () => {
    const { body, dropped } = geminiRequestToChat(cliTurn, "gpt-x");
    expect(body.messages[0]).toEqual({ role: "system", content: "You are a CLI agent." });
    expect(body.messages[1]).toEqual({
      role: "user",
      content: "<session_context>…\nPrint ok with the shell.",
    });
    const assistant = body.messages[2];
    expect(assistant.role).toBe("assistant");
    expect(assistant.reasoning_content).toBe("Let me think.");
    expect(assistant.tool_calls).toEqual([
      {
        id: "call_1",
        type: "function",
        function: { name: "run_shell_command", arguments: '{"command":"echo ok"}' },
      },
    ]);
    expect(body.messages[3]).toEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"output":"ok\\n"}',
    });
    expect(body.tools?.map((tool) => tool.function.name)).toEqual([
      "run_shell_command",
      "old_style",
    ]);
    expect(body.tools?.[1].function.parameters).toEqual({
      type: "object",
      properties: { n: { type: ["integer", "null"] } },
    });
    expect(body.tool_choice).toEqual({ type: "function", function: { name: "run_shell_command" } });
    expect(body).toMatchObject({
      temperature: 1,
      top_p: 0.95,
      top_k: 64,
      max_tokens: 100,
      stop: ["END"],
      reasoning_effort: "medium",
      response_format: {
        type: "json_schema",
        json_schema: { name: "response", schema: { type: "object" } },
      },
    });
    expect(dropped.sort()).toEqual(["googleSearch", "safetySettings", "thoughtSignature"]);
  });

  it("refuses what cannot be said, naming the field", () => {
    const refused = (request: Partial<GeminiRequest>) => {
      try {
        geminiRequestToChat(
          { contents: [{ role: "user", parts: [{ text: "x" }] }], ...request },
          "m",
        );
      } catch (error) {
        return error instanceof ApiError ? [error.status, error.param] : error;
      }
      return null;
    };
    expect(refused({ cachedContent: "cachedContents/1" })).toEqual([400, "cachedContent"]);
    expect(
      refused({
        contents: [
          {
            role: "user",
            parts: [{ fileData: { fileUri: "files/abc", mimeType: "application/pdf" } }],
          },
        ],
      }),
    ).toEqual([400, "contents[0].parts[0].fileData"]);
    expect(refused({ generationConfig: { responseModalities: ["AUDIO"] } })).toEqual([
      400,
      "generationConfig.responseModalities",
    ]);
    expect(refused({ generationConfig: { speechConfig: {} } })).toEqual([
      400,
      "generationConfig.speechConfig",
    ]);
  });

  it("images inline become data URLs; other inline data a file part", () => {
    const { body } = geminiRequestToChat(
      {
        contents: [
          {
            role: "user",
            parts: [
              { text: "what is it" },
              { inlineData: { mimeType: "image/png", data: "iVBO" } },
              { inlineData: { mimeType: "application/pdf", data: "JVBE" } },
            ],
          },
        ],
      },
      "m",
    );
    expect(body.messages[0].content).toEqual([
      { type: "text", text: "what is it" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
      { type: "file", file: { file_data: "data:application/pdf;base64,JVBE", filename: "file" } },
    ]);
  });
});

describe("chat answer and stream → Gemini", () => {
  it("an answer becomes a candidate with thoughts, text, calls, finish and usage", () => {
    const answer = chatAnswerToGemini(
      {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 0,
        model: "gpt-x",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: "Running it.",
              reasoning_content: "hmm",
              tool_calls: [
                { id: "c1", type: "function", function: { name: "run", arguments: '{"a":1}' } },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 7,
          total_tokens: 17,
          prompt_tokens_details: { cached_tokens: 4 },
          completion_tokens_details: { reasoning_tokens: 2 },
        },
      },
      { model: "gemini-2.5-flash", includeThoughts: true },
    );
    expect(answer.candidates?.[0]).toEqual({
      content: {
        role: "model",
        parts: [
          { text: "hmm", thought: true },
          { text: "Running it." },
          { functionCall: { id: "c1", name: "run", args: { a: 1 } } },
        ],
      },
      finishReason: "STOP",
      index: 0,
    });
    expect(answer.usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 2,
      cachedContentTokenCount: 4,
      totalTokenCount: 17,
    });
  });

  it("a stream: text as it comes, the call whole at the end, finish and usage last", () => {
    const translator = new ChatStreamToGemini({ model: "g", includeThoughts: false });
    const chunk = (
      delta: ChatChunk["choices"][number]["delta"],
      finish: string | null = null,
      usage?: ChatUsage,
    ): ChatChunk => ({
      id: "x",
      object: "chat.completion.chunk" as const,
      created: 0,
      model: "m",
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    });
    const out = [
      ...translator.push(chunk({ role: "assistant", content: "" })),
      ...translator.push(chunk({ reasoning_content: "hidden" })),
      ...translator.push(chunk({ content: "Hi" })),
      ...translator.push(
        chunk({
          tool_calls: [
            { index: 0, id: "c1", type: "function", function: { name: "run", arguments: '{"a"' } },
          ],
        }),
      ),
      ...translator.push(chunk({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] })),
      ...translator.push(chunk({}, "tool_calls")),
      ...translator.push(
        chunk({}, null, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }),
      ),
      ...translator.end(),
    ];
    expect(out.map((response) => response.candidates?.[0].content?.parts)).toEqual([
      [{ text: "Hi" }],
      [{ functionCall: { id: "c1", name: "run", args: { a: 1 } } }],
    ]);
    expect(out[1].candidates?.[0].finishReason).toBe("STOP");
    expect(out[1].usageMetadata).toEqual({
      promptTokenCount: 3,
      candidatesTokenCount: 2,
      totalTokenCount: 5,
    });
  });
});

describe("chat request → Gemini (the gemini provider)", () => {
  it("maps messages, tool calls and results, tools, choice and config", () => {
    const { body } = chatRequestToGemini({
      model: "g",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "hi" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          reasoning_content: "x",
          tool_calls: [
            {
              id: "c1",
              type: "function",
              function: { name: "weather", arguments: '{"city":"Paris"}' },
            },
            { id: "c2", type: "function", function: { name: "time", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
        { role: "tool", tool_call_id: "c2", content: '{"h":12}' },
      ],
      tools: [{ type: "function", function: { name: "weather", parameters: { type: "object" } } }],
      tool_choice: "required",
      max_completion_tokens: 50,
      stop: "END",
      response_format: { type: "json_object" },
      reasoning_effort: "low",
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: "Be brief." }] });
    expect(body.contents).toEqual([
      {
        role: "user",
        parts: [{ text: "hi" }, { inlineData: { mimeType: "image/png", data: "AAA" } }],
      },
      {
        role: "model",
        parts: [
          {
            functionCall: { id: "c1", name: "weather", args: { city: "Paris" } },
            thoughtSignature: FOREIGN_THOUGHT_SIGNATURE,
          },
          {
            functionCall: { id: "c2", name: "time", args: {} },
            thoughtSignature: FOREIGN_THOUGHT_SIGNATURE,
          },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { id: "c1", name: "weather", response: { output: "sunny" } } },
          { functionResponse: { id: "c2", name: "time", response: { h: 12 } } },
        ],
      },
    ]);
    expect(body.tools).toEqual([
      { functionDeclarations: [{ name: "weather", parametersJsonSchema: { type: "object" } }] },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 50,
      stopSequences: ["END"],
      responseMimeType: "application/json",
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
  });

  it("refuses a field Gemini cannot take", () => {
    expect(() => chatRequestToGemini({ model: "g", messages: [], audio: { voice: "x" } })).toThrow(
      /'audio'/,
    );
  });

  it("an answer and a stream come back as chat, usage with cached and thought tokens", () => {
    const gemini: GeminiResponse = {
      candidates: [
        {
          content: {
            role: "model",
            parts: [
              { text: "plan", thought: true },
              { functionCall: { name: "weather", args: { city: "Paris" } } },
            ],
          },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 20,
        cachedContentTokenCount: 8,
        candidatesTokenCount: 5,
        thoughtsTokenCount: 3,
        totalTokenCount: 28,
      },
      responseId: "r1",
    };
    const chat = geminiAnswerToChat(gemini, "my-gemini");
    expect(chat.choices[0]).toMatchObject({
      finish_reason: "tool_calls",
      message: {
        content: null,
        reasoning_content: "plan",
        tool_calls: [
          { id: "call_0_0", function: { name: "weather", arguments: '{"city":"Paris"}' } },
        ],
      },
    });
    expect(chat.usage).toEqual({
      prompt_tokens: 20,
      completion_tokens: 8,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
    expect(tokenUsageOfGemini(gemini.usageMetadata)).toEqual({
      inputTokens: 12,
      outputTokens: 8,
      cacheReadTokens: 8,
      cacheWriteTokens: 0,
    });

    const stream = new GeminiStreamToChat({ model: "my-gemini", includeUsage: true });
    const chunks = [
      ...stream.push({ candidates: [{ content: { role: "model", parts: [{ text: "He" }] } }] }),
      ...stream.push(gemini),
      ...stream.end(),
    ];
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "He" },
      { reasoning_content: "plan" },
      {
        tool_calls: [
          {
            index: 0,
            id: "call_0_0",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      {},
      undefined,
    ]);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(8);
  });
});

describe("Google's error envelope", () => {
  it("maps the status and carries the gateway's code and a retry delay", () => {
    expect(geminiErrorBody(new ApiError(429, "limit_reached", "spent"), 60)).toEqual({
      error: {
        code: 429,
        message: "spent",
        status: "RESOURCE_EXHAUSTED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "limit_reached",
            domain: "modelbridge",
            metadata: { code: "limit_reached" },
          },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "60s" },
        ],
      },
    });
    const statuses = [400, 401, 403, 404, 500, 502, 503, 504].map(
      (status) => geminiErrorBody(new ApiError(status, "invalid_request", "x")).error.status,
    );
    expect(statuses).toEqual([
      "INVALID_ARGUMENT",
      "UNAUTHENTICATED",
      "PERMISSION_DENIED",
      "NOT_FOUND",
      "INTERNAL",
      "UNAVAILABLE",
      "UNAVAILABLE",
      "DEADLINE_EXCEEDED",
    ]);
  });
});
