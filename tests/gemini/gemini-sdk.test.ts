import { GoogleGenAI, type Content } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createKey,
  createUser,
  registerEmbeddingModel,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { registerAnthropicModels } from "../gateway/anthropic-harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * Google's GenAI SDK (`@google/genai` 3.x, as a user sets it up: a base URL and a
 * ModelBridge key) through ModelBridge onto an OpenAI-compatible upstream and an Anthropic
 * one: generateContent, streamed, a function-calling round trip, countTokens and
 * embedContent — each metered on the key like any other request.
 */
let h: Harness;
let anthropic: FakeUpstream;
let key: string;
let keyId: string;

beforeAll(async () => {
  [h, anthropic] = await Promise.all([startHarness(), startFakeUpstream({ script: "anthropic" })]);
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "weather-tool"]);
  await registerEmbeddingModel(h.database, h.upstream.url);
  await registerAnthropicModels(h.database, anthropic.url, ["claude-text", "claude-tool"]);
  const user = await createUser(h.database);
  ({
    key,
    row: { id: keyId },
  } = await createKey(h.database, { userId: user.id }));
}, 120_000);

afterAll(async () => {
  await h?.close();
  await anthropic?.stop();
});

/** The SDK's default API version in 3.x is v1; Gemini CLI and 1.x use v1beta: both are served. */
const genai = (apiVersion?: string) =>
  new GoogleGenAI({
    apiKey: key,
    httpOptions: { baseUrl: h.baseURL.replace(/\/v1$/, ""), ...(apiVersion ? { apiVersion } : {}) },
  });

const weatherTool = {
  functionDeclarations: [
    {
      name: "get_weather",
      description: "The weather in a city",
      parametersJsonSchema: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    },
  ],
};

describe.each([
  {
    upstream: "OpenAI-compatible",
    text: "fake/json",
    stream: "fake/sse",
    tool: "fake/weather-tool",
  },
  {
    upstream: "Anthropic",
    text: "claude/claude-text",
    stream: "claude/claude-text",
    tool: "claude/claude-tool",
  },
])("@google/genai onto an $upstream upstream", ({ text, stream, tool }) => {
  it("generateContent answers text with usageMetadata, under v1 and v1beta", async () => {
    for (const version of [undefined, "v1beta"]) {
      const response = await genai(version).models.generateContent({
        model: text,
        contents: "Say hello",
        config: { maxOutputTokens: 50, temperature: 0.5 },
      });
      expect(response.text).toBeTruthy();
      expect(response.candidates?.[0].finishReason).toBe("STOP");
      expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
      expect(response.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
    }
  });

  it("generateContentStream streams text and ends with a finish reason and usage", async () => {
    const chunks = [];
    for await (const chunk of await genai("v1beta").models.generateContentStream({
      model: stream,
      contents: "Stream please",
    }))
      chunks.push(chunk);
    const textOut = chunks.map((chunk) => chunk.text ?? "").join("");
    expect(textOut.length).toBeGreaterThan(0);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1)?.candidates?.[0].finishReason).toBe("STOP");
    expect(chunks.at(-1)?.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
  });

  it("function calling: the model calls the declared function, then answers its response", async () => {
    const client = genai();
    const contents: Content[] = [{ role: "user", parts: [{ text: "Weather in Paris?" }] }];
    const first = await client.models.generateContent({
      model: tool,
      contents,
      config: { tools: [weatherTool] },
    });
    expect(first.functionCalls?.map((call) => [call.name, call.args])).toEqual([
      ["get_weather", { city: "Paris" }],
    ]);
    const call = first.functionCalls![0];
    contents.push(first.candidates![0].content!, {
      role: "user",
      parts: [{ functionResponse: { id: call.id, name: call.name, response: { sky: "clear" } } }],
    });
    const second = await client.models.generateContent({
      model: tool,
      contents,
      config: { tools: [weatherTool] },
    });
    expect(second.functionCalls ?? []).toEqual([]);
    expect(second.text).toBeTruthy();
  });

  it("countTokens counts the prompt, free", async () => {
    const counted = await genai().models.countTokens({
      model: text,
      contents: "How many tokens is this sentence?",
    });
    expect(counted.totalTokens).toBeGreaterThan(3);
  });
});

describe("@google/genai embedContent onto an OpenAI-compatible embedding model", () => {
  it("embeds one text and a batch, metered on input", async () => {
    const before = (await usageFor(h.database, keyId)).length;
    const one = await genai().models.embedContent({ model: "fake/embed", contents: "hello" });
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings![0].values!.length).toBeGreaterThan(0);
    const many = await genai("v1beta").models.embedContent({
      model: "fake/embed",
      contents: ["a", "b", "c"],
      config: { outputDimensionality: 4 },
    });
    expect(many.embeddings?.map((e) => e.values?.length)).toEqual([4, 4, 4]);
    await expect
      .poll(async () => (await usageFor(h.database, keyId)).length)
      .toBeGreaterThan(before + 1);
  });
});
