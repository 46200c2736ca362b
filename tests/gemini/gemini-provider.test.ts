import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import {
  client,
  createKey,
  createUser,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * Gemini models upstream (the `gemini` provider), behind every client: the OpenAI SDK
 * (chat, streamed, tools, Responses, embeddings) and the Anthropic SDK translated onto
 * Gemini's API, and @google/genai passed through but for the model and the token cap. The
 * upstream is the fake Gemini server (checked against @google/genai's own types). Usage is
 * metered with cached input (4 of the 11 prompt tokens) and thoughts as output.
 */
let h: Harness;
let gemini: FakeUpstream;
let key: string;
let keyId: string;

interface Recorded {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}
const recorded = async (): Promise<Recorded[]> =>
  (await (await fetch(`${gemini.url}/_fake/requests`)).json()) as Recorded[];

beforeAll(async () => {
  [h, gemini] = await Promise.all([startHarness(), startFakeUpstream({ script: "gemini" })]);
  const admin = await createUser(h.database, "admin");
  for (const [name, upstream, kind] of [
    ["gemini/text", "gemini-text", "chat"],
    ["gemini/tool", "gemini-tool", "chat"],
    ["gemini/embed", "text-embedding-fake", "embedding"],
  ] as const)
    await createModel(
      h.database,
      createModelInput.parse({
        name,
        kind,
        provider: "gemini",
        base_url: gemini.url,
        upstream_model: upstream,
        api_key: "fake-gemini-key",
        input_price_per_million: "1.00",
        output_price_per_million: "4.00",
        cached_input_price_per_million: "0.25",
        max_output_tokens: 1000,
      }),
      admin.id,
    );
  const user = await createUser(h.database);
  ({
    key,
    row: { id: keyId },
  } = await createKey(h.database, { userId: user.id }));
}, 120_000);

afterAll(async () => {
  await h?.close();
  await gemini?.stop();
});

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("the OpenAI SDK onto a Gemini model", () => {
  it("chat completions: text, usage with cached tokens, the key's credential swapped for the model's", async () => {
    const answer = await client(h.baseURL, key).chat.completions.create({
      model: "gemini/text",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
      max_tokens: 20,
    });
    expect(answer.choices[0].message.content).toBe("Hello from fake Gemini");
    expect(answer.choices[0].finish_reason).toBe("stop");
    expect(answer.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 4,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    const seen = (await recorded()).at(-1)!;
    expect(seen.url).toBe("/v1beta/models/gemini-text:generateContent");
    expect(seen.headers["x-goog-api-key"]).toBe("fake-gemini-key");
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.body).toMatchObject({
      systemInstruction: { parts: [{ text: "Be brief." }] },
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      generationConfig: { maxOutputTokens: 20 },
    });
    await expect
      .poll(async () => (await usageFor(h.database, keyId)).at(-1)?.cachedInputTokens)
      .toBe(4);
  });

  it("a stream with usage, and a tool round trip", async () => {
    const sdk = client(h.baseURL, key);
    const stream = await sdk.chat.completions.create({
      model: "gemini/text",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
      reasoning_effort: "low",
    });
    let text = "";
    let reasoning = "";
    let usage;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string };
      text += delta?.content ?? "";
      reasoning += delta?.reasoning_content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Hello from fake Gemini");
    expect(reasoning).toBe("Thinking it over.");
    // Thoughts (3) are output: completion_tokens counts them as reasoning tokens.
    expect(usage).toMatchObject({
      completion_tokens: 7,
      completion_tokens_details: { reasoning_tokens: 3 },
    });

    const first = await sdk.chat.completions.create({
      model: "gemini/tool",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [weather],
    });
    const call = first.choices[0].message.tool_calls![0] as {
      id: string;
      function: { name: string; arguments: string };
    };
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    expect([call.function.name, JSON.parse(call.function.arguments)]).toEqual([
      "get_weather",
      { city: "Paris" },
    ]);
    const second = await sdk.chat.completions.create({
      model: "gemini/tool",
      messages: [
        { role: "user", content: "Weather in Paris?" },
        first.choices[0].message,
        { role: "tool", tool_call_id: call.id, content: "sunny" },
      ],
      tools: [weather],
    });
    expect(second.choices[0].message.content).toBe('Done: {"output":"sunny"}');
  });

  it("Responses and embeddings", async () => {
    const sdk = client(h.baseURL, key);
    const response = await sdk.responses.create({ model: "gemini/text", input: "hi" });
    expect(response.output_text).toBe("Hello from fake Gemini");
    const embedded = await sdk.embeddings.create({ model: "gemini/embed", input: ["a", "b"] });
    expect(embedded.data.map((item) => item.embedding)).toEqual([
      [0, 0.5, 0.25],
      [1, 0.5, 0.25],
    ]);
  });
});

describe("the Anthropic SDK onto a Gemini model", () => {
  it("messages, and a streamed tool call", async () => {
    const anthropic = new Anthropic({
      apiKey: key,
      baseURL: h.baseURL.replace(/\/v1$/, ""),
      maxRetries: 0,
    });
    const message = await anthropic.messages.create({
      model: "gemini/text",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toMatchObject([{ type: "text", text: "Hello from fake Gemini" }]);
    expect(message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0)).toBe(11);
    const streamed = await anthropic.messages
      .stream({
        model: "gemini/tool",
        max_tokens: 100,
        tools: [{ name: "get_weather", input_schema: { type: "object" } }],
        messages: [{ role: "user", content: "Weather?" }],
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe("tool_use");
    expect(streamed.content.find((block) => block.type === "tool_use")).toMatchObject({
      name: "get_weather",
      input: { city: "Paris" },
    });
  });
});

describe("@google/genai onto a Gemini model: passed through", () => {
  const genai = () =>
    new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: h.baseURL.replace(/\/v1$/, "") } });

  it("generateContent and its stream, the model name and token cap replaced, metered with thoughts", async () => {
    const answer = await genai().models.generateContent({
      model: "gemini/text",
      contents: "hi",
      config: {
        maxOutputTokens: 5000,
        thinkingConfig: { includeThoughts: true, thinkingBudget: 64 },
      },
    });
    expect(answer.text).toBe("Hello from fake Gemini");
    const seen = (await recorded()).at(-1)!;
    expect(seen.url).toBe("/v1beta/models/gemini-text:generateContent");
    expect(seen.headers["x-goog-api-key"]).toBe("fake-gemini-key");
    // The model's own maximum (1000) caps what the client asked for.
    expect(seen.body.generationConfig).toMatchObject({ maxOutputTokens: 1000 });
    await expect
      .poll(async () => {
        const row = (await usageFor(h.database, keyId)).at(-1);
        return row && [row.endpoint, row.promptTokens, row.cachedInputTokens, row.completionTokens];
      })
      .toEqual(["gemini.generateContent", 11, 4, 7]);

    const pieces: string[] = [];
    for await (const chunk of await genai().models.generateContentStream({
      model: "gemini/text",
      contents: "hi",
    }))
      pieces.push(chunk.text ?? "");
    expect(pieces.join("")).toBe("Hello from fake Gemini");
    expect((await recorded()).at(-1)!.url).toBe(
      "/v1beta/models/gemini-text:streamGenerateContent?alt=sse",
    );
  });

  it("a key sent as ?key= is not passed upstream", async () => {
    const response = await fetch(
      `${h.baseURL.replace(/\/v1$/, "")}/v1beta/models/gemini/text:streamGenerateContent?alt=sse&key=${key}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Gemini");
    const seen = (await recorded()).at(-1)!;
    expect(seen.url).not.toContain(key);
    expect(JSON.stringify(seen.headers)).not.toContain(key);
  });

  it("function calling round trip, countTokens and embedContent", async () => {
    const tools = [
      { functionDeclarations: [{ name: "get_weather", parametersJsonSchema: { type: "object" } }] },
    ];
    const first = await genai().models.generateContent({
      model: "gemini/tool",
      contents: "Weather?",
      config: { tools },
    });
    expect(first.functionCalls).toEqual([{ name: "get_weather", args: { city: "Paris" } }]);
    const second = await genai().models.generateContent({
      model: "gemini/tool",
      contents: [
        { role: "user", parts: [{ text: "Weather?" }] },
        first.candidates![0].content!,
        {
          role: "user",
          parts: [{ functionResponse: { name: "get_weather", response: { sky: "clear" } } }],
        },
      ],
      config: { tools },
    });
    expect(second.text).toBe('Done: {"sky":"clear"}');
    const counted = await genai().models.countTokens({
      model: "gemini/text",
      contents: "hello there",
    });
    expect(counted.totalTokens).toBeGreaterThan(0);
    expect((await recorded()).at(-1)!.url).toBe("/v1beta/models/gemini-text:countTokens");
    const embedded = await genai().models.embedContent({
      model: "gemini/embed",
      contents: ["a", "b"],
    });
    expect(embedded.embeddings?.map((e) => e.values)).toEqual([
      [0, 0.5, 0.25],
      [1, 0.5, 0.25],
    ]);
  });
});
