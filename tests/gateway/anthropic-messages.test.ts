import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import {
  ANTHROPIC_CREDENTIAL,
  anthropicClient,
  recordedRequests,
  registerAnthropicModels,
} from "./anthropic-harness";
import {
  client,
  openAiValidator,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
  userWithKey,
} from "../helpers/harness";

/**
 * /v1/messages and Claude models, through the in-process gateway with both fake upstreams:
 * Anthropic's SDK on an `anthropic` model (passthrough) and on an `openai` one
 * (translation), and OpenAI's SDK on an `anthropic` model (translation).
 */
let h: Harness;
let anthropicUpstream: FakeUpstream;
let key: string;
let keyId: string;
const validate = openAiValidator();

beforeAll(async () => {
  [h, anthropicUpstream] = await Promise.all([
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "weather-tool"]);
  await registerAnthropicModels(h.database, anthropicUpstream.url, [
    "claude-text",
    "claude-tool",
    "claude-overloaded",
    "claude-error-400",
  ]);
  ({ key, keyId } = await userWithKey(h.database));
});

afterAll(async () => {
  await h?.close();
  await anthropicUpstream?.stop();
});

const records = async (model: string) => {
  await h.runtime.flush();
  return (await usageFor(h.database, keyId)).filter((record) => record.model === model);
};
const weather = {
  name: "get_weather",
  description: "The weather in a city",
  input_schema: {
    type: "object" as const,
    properties: { city: { type: "string" } },
    required: ["city"],
  },
};

describe("Anthropic's SDK on an anthropic model: passthrough", () => {
  it("messages.create: the answer as Anthropic sent it, the model's credential upstream, usage by kind metered", async () => {
    const message = await anthropicClient(h.baseURL, key).messages.create(
      {
        model: "claude/claude-text",
        max_tokens: 100,
        system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: "hi" }],
      },
      { headers: { "anthropic-beta": "prompt-caching-2024-07-31" } },
    );
    expect(message.content).toEqual([
      { type: "text", text: "Hello from fake Claude", citations: null },
    ]);
    expect(message.usage).toMatchObject({
      input_tokens: 11,
      output_tokens: 4,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 5,
    });

    const seen = (await recordedRequests(anthropicUpstream.url)).at(-1)!;
    expect(seen.headers["x-api-key"]).toBe(ANTHROPIC_CREDENTIAL);
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(key);
    expect(seen.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(seen.headers["anthropic-version"]).toBeTruthy();
    // Intact but for the model name and the token cap.
    expect(seen.body).toEqual({
      model: "claude-text",
      max_tokens: 100,
      system: [{ type: "text", text: "be brief", cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
    });

    const [record] = await records("claude/claude-text");
    // 11 × 3.00 + 7 × 0.30 + 5 × 3.75 + 4 × 15.00 per 1M = 33 + 2.1 + 18.75 + 60 = 113.85 → 114 micro-units.
    expect(record).toMatchObject({
      status: 200,
      promptTokens: 23,
      completionTokens: 4,
      cachedInputTokens: 7,
      cacheWriteTokens: 5,
      cost: 114n,
      costSource: "upstream",
      endpoint: "messages",
    });
  });

  it("streamed with tools and thinking, with ?beta=true as Claude Code sends it: every event relayed, the query and anthropic-beta passed on", async () => {
    const stream = anthropicClient(h.baseURL, key).beta.messages.stream(
      {
        model: "claude/claude-tool",
        max_tokens: 2048,
        thinking: { type: "enabled", budget_tokens: 1024 },
        tools: [weather],
        messages: [{ role: "user", content: "weather in Paris?" }],
      },
      { headers: { "anthropic-beta": "interleaved-thinking-2025-05-14" }, query: { beta: "true" } },
    );
    const kinds: string[] = [];
    stream.on("streamEvent", (event) => kinds.push(event.type));
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      expect.objectContaining({ type: "tool_use", name: "get_weather", input: { city: "Paris" } }),
    ]);
    expect(kinds).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);

    const seen = (await recordedRequests(anthropicUpstream.url)).at(-1)!;
    expect(seen.url).toBe("/v1/messages?beta=true");
    expect(seen.headers["anthropic-beta"]).toBe("interleaved-thinking-2025-05-14");
    expect(seen.body.thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
    const [record] = await records("claude/claude-tool");
    expect(record).toMatchObject({
      status: 200,
      streamed: true,
      promptTokens: 11,
      completionTokens: 9,
      costSource: "upstream",
    });
  });

  it("an upstream error keeps Anthropic's envelope and a request-id", async () => {
    const error = await anthropicClient(h.baseURL, key)
      .messages.create({
        model: "claude/claude-overloaded",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(502);
    expect(apiError.error).toMatchObject({
      type: "error",
      error: { type: "api_error", code: "upstream_error" },
    });
    expect(apiError.requestID).toBeTruthy();

    const rejected = await anthropicClient(h.baseURL, key)
      .messages.create({
        model: "claude/claude-error-400",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(Anthropic.BadRequestError);
    expect((rejected as InstanceType<typeof Anthropic.APIError>).message).toContain(
      "messages.0: bad block",
    );
  });
});

describe("Anthropic's SDK on an openai model: translation", () => {
  it("messages.create answers as a Message, metered from the chat usage", async () => {
    const message = await anthropicClient(h.baseURL, key).messages.create({
      model: "fake/json",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: "fake/json",
      stop_reason: "end_turn",
      content: [{ type: "text", text: " tok tok tok tok tok" }],
    });
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 5 });
    const [record] = await records("fake/json");
    expect(record).toMatchObject({
      status: 200,
      endpoint: "messages",
      promptTokens: 11,
      completionTokens: 5,
      costSource: "upstream",
    });
  });

  it("streamed with tools: thinking, text and the tool call's arguments as input_json_delta", async () => {
    const stream = anthropicClient(h.baseURL, key).messages.stream({
      model: "fake/weather-tool",
      max_tokens: 200,
      tools: [weather],
      messages: [{ role: "user", content: "weather in Paris?" }],
    });
    const deltas: string[] = [];
    stream.on("streamEvent", (event) => {
      if (event.type === "content_block_delta") deltas.push(event.delta.type);
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      { type: "thinking", thinking: "I should call it.", signature: "" },
      expect.objectContaining({ type: "text", text: "Checking." }),
      expect.objectContaining({
        type: "tool_use",
        id: "call_fake1",
        name: "get_weather",
        input: { city: "Paris" },
      }),
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({
      input_tokens: 7,
      cache_read_input_tokens: 4,
      output_tokens: 8,
    });
    expect(deltas).toEqual([
      "thinking_delta",
      "thinking_delta",
      "text_delta",
      "input_json_delta",
      "input_json_delta",
    ]);
    const [record] = await records("fake/weather-tool");
    expect(record).toMatchObject({
      status: 200,
      streamed: true,
      promptTokens: 11,
      cachedInputTokens: 4,
      completionTokens: 8,
      costSource: "upstream",
    });

    const answer = await anthropicClient(h.baseURL, key).messages.create({
      model: "fake/weather-tool",
      max_tokens: 200,
      tools: [weather],
      messages: [
        { role: "user", content: "weather in Paris?" },
        {
          role: "assistant",
          content: message.content.filter(
            (block) => block.type !== "thinking",
          ) as Anthropic.ContentBlockParam[],
        },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "call_fake1", content: "sunny" }],
        },
      ],
    });
    expect(answer.content).toEqual([
      expect.objectContaining({ type: "text", text: "It is sunny." }),
    ]);
  });

  it("an untranslatable field is refused with a 400 naming it, in Anthropic's envelope", async () => {
    const error = await anthropicClient(h.baseURL, key)
      .messages.create({
        model: "fake/json",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
        mcp_servers: [{ type: "url", url: "https://x", name: "x" }],
      } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringContaining("mcp_servers") },
    });
  });
});

describe("OpenAI's SDK on an anthropic model: translation", () => {
  it("chat completions, plain: a valid chat.completion with Anthropic's usage", async () => {
    const completion = await client(h.baseURL, key).chat.completions.create({
      model: "claude/claude-text",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
    });
    expect(validate("CreateChatCompletionResponse", completion)).toBeNull();
    expect(completion.choices[0]).toMatchObject({
      message: { role: "assistant", content: "Hello from fake Claude" },
      finish_reason: "stop",
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4 });
    const seen = (await recordedRequests(anthropicUpstream.url)).at(-1)!;
    expect(seen.body).toMatchObject({
      model: "claude-text",
      system: "be brief",
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
    expect(seen.headers["x-api-key"]).toBe(ANTHROPIC_CREDENTIAL);
  });

  it("chat completions, streamed with tools: tool call chunks, usage when asked", async () => {
    const stream = await client(h.baseURL, key).chat.completions.create({
      model: "claude/claude-tool",
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        { type: "function", function: { name: "get_weather", parameters: weather.input_schema } },
      ],
      messages: [{ role: "user", content: "weather?" }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks)
      expect(validate("CreateChatCompletionStreamResponse", chunk)).toBeNull();
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((call) => call.function?.arguments ?? "")
      .join("");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe(
      "tool_calls",
    );
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 9 });
  });

  it("responses, plain and streamed: translated through chat onto Messages", async () => {
    const response = await client(h.baseURL, key).responses.create({
      model: "claude/claude-text",
      input: "hi",
      instructions: "be brief",
    });
    expect(response.output_text).toBe("Hello from fake Claude");
    expect(response.usage).toMatchObject({ input_tokens: 11, output_tokens: 4 });
    const seen = (await recordedRequests(anthropicUpstream.url)).at(-1)!;
    expect(seen.body).toMatchObject({ model: "claude-text", system: "be brief" });

    const stream = await client(h.baseURL, key).responses.create({
      model: "claude/claude-tool",
      input: "weather?",
      stream: true,
      tools: [
        { type: "function", name: "get_weather", parameters: weather.input_schema, strict: false },
      ],
    });
    const types: string[] = [];
    let call: { name?: string; arguments?: string } | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_item.done" && event.item.type === "function_call")
        call = event.item;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(call).toMatchObject({ name: "get_weather" });
    expect(JSON.parse(call!.arguments!)).toEqual({ city: "Paris" });
    const [record] = (await records("claude/claude-tool")).filter(
      (r) => r.endpoint === "responses",
    );
    expect(record).toMatchObject({
      status: 200,
      streamed: true,
      completionTokens: 9,
      costSource: "upstream",
    });
  });

  it("JSON output: response_format asked through a forced tool, answered as text", async () => {
    const completion = await client(h.baseURL, key).chat.completions.create({
      model: "claude/claude-tool",
      messages: [{ role: "user", content: "where?" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "place",
          schema: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    });
    expect(completion.choices[0]).toMatchObject({
      finish_reason: "stop",
      message: { content: '{"city":"Paris"}' },
    });
    const seen = (await recordedRequests(anthropicUpstream.url)).at(-1)!;
    expect(seen.body).toMatchObject({
      tools: [{ name: "place" }],
      tool_choice: { type: "tool", name: "place" },
    });
  });

  it("n > 1 is refused with a 400 naming n", async () => {
    const error = await client(h.baseURL, key)
      .chat.completions.create({
        model: "claude/claude-text",
        n: 2,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: "n" });
  });
});

describe("the Anthropic routes' doors", () => {
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${h.baseURL}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("x-api-key alone authenticates", async () => {
    const response = await post(
      "/messages",
      { "x-api-key": key, "anthropic-version": "2023-06-01" },
      { model: "claude/claude-text", max_tokens: 5, messages: [{ role: "user", content: "hi" }] },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("request-id")).toBeTruthy();
  });

  it.each([
    {
      name: "no key",
      headers: {},
      body: {
        model: "claude/claude-text",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      },
      status: 401,
      type: "authentication_error",
      code: "missing_api_key",
    },
    {
      name: "a bad key",
      headers: { "x-api-key": "mb_live_nope" },
      body: {
        model: "claude/claude-text",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      },
      status: 401,
      type: "authentication_error",
      code: "invalid_api_key",
    },
    {
      name: "an unknown model",
      headers: "key",
      body: { model: "nope", max_tokens: 5, messages: [{ role: "user", content: "hi" }] },
      status: 404,
      type: "not_found_error",
      code: "model_not_found",
    },
    {
      name: "no max_tokens",
      headers: "key",
      body: { model: "claude/claude-text", messages: [{ role: "user", content: "hi" }] },
      status: 400,
      type: "invalid_request_error",
      code: "invalid_request",
    },
  ])(
    "$name: $status $type in Anthropic's envelope",
    async ({ headers, body, status, type, code }) => {
      const response = await post(
        "/messages",
        headers === "key" ? { "x-api-key": key } : (headers as Record<string, string>),
        body,
      );
      expect(response.status).toBe(status);
      expect(response.headers.get("request-id")).toMatch(/\S/);
      const json = await response.json();
      expect(json).toMatchObject({ type: "error", error: { type, code } });
    },
  );

  it("a path under /v1/messages that is not served answers 404 in Anthropic's envelope", async () => {
    const response = await post("/messages/batches", { "x-api-key": key }, {});
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "not_found_error" },
    });
  });

  it("count_tokens: asked of an anthropic model's server, estimated for others", async () => {
    const sdk = anthropicClient(h.baseURL, key);
    const counted = await sdk.messages.countTokens({
      model: "claude/claude-text",
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect((await recordedRequests(anthropicUpstream.url)).at(-1)?.url).toBe(
      "/v1/messages/count_tokens",
    );
    const estimated = await sdk.messages.countTokens({
      model: "fake/json",
      messages: [{ role: "user", content: "hello there" }],
    });
    // Counted as the reservation counts a prompt: 2 tokens of text, 4 for the message, 3 to prime.
    expect(estimated.input_tokens).toBe(9);
  });

  it("GET /v1/models answers in Anthropic's shape when the request carries anthropic-version", async () => {
    const page = await anthropicClient(h.baseURL, key).models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["claude/claude-text", "fake/json"]));
    expect(page.data[0]).toMatchObject({
      type: "model",
      display_name: expect.any(String),
      created_at: expect.any(String),
    });
    const openai = await client(h.baseURL, key).models.list();
    expect(openai.data[0]).toMatchObject({ object: "model" });
    const claude = openai.data.find((model) => model.id === "claude/claude-text") as unknown as {
      endpoints: string[];
    };
    expect(claude.endpoints).toEqual(["/v1/chat/completions", "/v1/responses", "/v1/messages"]);
  });
});
