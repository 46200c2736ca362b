import { describe, expect, it } from "vitest";
import { createOpenAI } from "@ai-sdk/openai";
import { embed, embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import {
  registerFakeModels,
  harnessForFile,
  usageFor,
  registerEmbeddingModel,
  userWithKey,
} from "../helpers/harness";

/**
 * The Vercel AI SDK with its default provider, as its users write it: `openai(model)`
 * (which calls /v1/responses) with only a base URL and a key, and `openai.embedding(model)`.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "tools", "echo-request"]);
  await registerEmbeddingModel(h.database, h.upstream.url);
  const { key, keyId } = await userWithKey(h.database);
  return { key, keyId };
});

const provider = () => createOpenAI({ baseURL: t.h.baseURL, apiKey: t.value.key });

describe("Vercel AI SDK, default openai(model) provider", () => {
  it("generateText", async () => {
    const result = await generateText({ model: provider()("fake/json"), prompt: "hi" });
    expect(result.text).toBe(" tok tok tok tok tok");
    expect(result.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
    expect(result.finishReason).toBe("stop");
  });

  it("streamText", async () => {
    const result = streamText({ model: provider()("fake/sse"), prompt: "hi" });
    let text = "";
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe(" tok tok tok tok tok");
    expect(await result.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
  });

  it("generateText with a tool, two steps: the SDK runs the tool and the model answers with its result", async () => {
    const result = await generateText({
      model: provider()("fake/tools"),
      prompt: "run it",
      tools: {
        exec_command: tool({
          description: "Run a shell command",
          inputSchema: jsonSchema<{ cmd: string }>({
            type: "object",
            properties: { cmd: { type: "string" } },
            required: ["cmd"],
          }),
          execute: async ({ cmd }) => `ran: ${cmd}`,
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps[0].toolCalls).toMatchObject([
      { toolName: "exec_command", input: { cmd: "echo modelbridge-tool-ok" } },
    ]);
    expect(result.text).toBe("Done: ran: echo modelbridge-tool-ok");
  });

  it("a second turn with the first turn's messages: the SDK refers to its earlier answer by item id, and that resolves", async () => {
    const first = await generateText({ model: provider()("fake/json"), prompt: "hi" });
    const bodies: Record<string, unknown>[] = [];
    const watching = createOpenAI({
      baseURL: t.h.baseURL,
      apiKey: t.value.key,
      fetch: async (url, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return fetch(url, init);
      },
    });
    const second = await generateText({
      model: watching("fake/echo-request"),
      messages: [
        { role: "user", content: "hi" },
        ...first.response.messages,
        { role: "user", content: "and again" },
      ],
    });
    const sent = JSON.parse(second.text).body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: " tok tok tok tok tok" },
      { role: "user", content: "and again" },
    ]);
    expect(bodies[0].input).toContainEqual({
      type: "item_reference",
      id: expect.stringMatching(/^msg_/),
    });
  });

  it("embed and embedMany with openai.embedding(model)", async () => {
    const one = await embed({ model: provider().embedding("fake/embed"), value: "hello world" });
    expect(one.embedding).toHaveLength(8);
    const many = await embedMany({
      model: provider().embedding("fake/embed"),
      values: ["a", "b c"],
    });
    expect(many.embeddings).toHaveLength(2);

    await t.h.runtime.flush();
    const endpoints = (await usageFor(t.h.database, t.value.keyId)).map((r) => r.endpoint);
    expect(new Set(endpoints)).toEqual(new Set(["responses", "embeddings"]));
  });
});
