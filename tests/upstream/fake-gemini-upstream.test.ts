import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream";

/** The fake Gemini upstream is only useful if Google's own SDK takes it for the real API. */
let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ script: "gemini" });
});
afterAll(() => upstream?.stop());

const client = (apiKey = "fake-gemini-key") =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: upstream.url, apiVersion: "v1beta" } });

describe("the fake Gemini upstream, seen by @google/genai", () => {
  it("answers generateContent with text, thoughts and usage", async () => {
    const response = await client().models.generateContent({
      model: "gemini-text",
      contents: "hi",
      config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 100 } },
    });
    expect(response.text).toBe("Hello from fake Gemini");
    expect(response.candidates?.[0].content?.parts?.[0]).toEqual({
      text: "Thinking it over.",
      thought: true,
    });
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 11,
      cachedContentTokenCount: 4,
      candidatesTokenCount: 4,
      thoughtsTokenCount: 3,
    });
  });

  it("streams chunks the SDK reads, and calls a function then answers its response", async () => {
    const pieces: string[] = [];
    for await (const chunk of await client().models.generateContentStream({
      model: "gemini-text",
      contents: "hi",
      config: { maxOutputTokens: 2 },
    }))
      pieces.push(chunk.text ?? "");
    expect(pieces.join("")).toBe("Hello from");

    const tools = [
      { functionDeclarations: [{ name: "get_weather", parametersJsonSchema: { type: "object" } }] },
    ];
    const first = await client().models.generateContent({
      model: "gemini-tool",
      contents: "weather?",
      config: { tools },
    });
    expect(first.functionCalls).toEqual([{ name: "get_weather", args: { city: "Paris" } }]);
    const second = await client().models.generateContent({
      model: "gemini-tool",
      contents: [
        { role: "user", parts: [{ text: "weather?" }] },
        first.candidates![0].content!,
        {
          role: "user",
          parts: [{ functionResponse: { name: "get_weather", response: { sky: "clear" } } }],
        },
      ],
      config: { tools },
    });
    expect(second.text).toBe('Done: {"sky":"clear"}');
  });

  it("counts tokens, embeds, and refuses a wrong key in Google's envelope", async () => {
    expect(
      (await client().models.countTokens({ model: "gemini-text", contents: "hello" })).totalTokens,
    ).toBeGreaterThan(0);
    const embedded = await client().models.embedContent({
      model: "text-embedding-fake",
      contents: ["a", "b"],
    });
    expect(embedded.embeddings?.map((e) => e.values)).toEqual([
      [0, 0.5, 0.25],
      [1, 0.5, 0.25],
    ]);
    await expect(
      client("wrong").models.generateContent({ model: "gemini-text", contents: "hi" }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("API key not valid"),
    });
  });
});
