import { describe, expect, it } from "vitest";
import { openAiSchemas } from "../helpers/openai-schemas";
import {
  client,
  registerFakeModels,
  harnessForFile,
  usageFor,
  registerEmbeddingModel,
  userWithKey,
} from "../helpers/harness";

/** `/v1/embeddings` and `/v1/completions` through the real gateway, with the official SDK. */
const validate = openAiSchemas();

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse", "sse-no-usage"]);
  await registerEmbeddingModel(h.database, h.upstream.url);
  const { key, keyId } = await userWithKey(h.database);
  return { key, keyId };
});

const records = async (model: string, endpoint?: string) => {
  await t.h.runtime.flush();
  return (await usageFor(t.h.database, t.value.keyId)).filter(
    (r) => r.model === model && (!endpoint || r.endpoint === endpoint),
  );
};

describe("/v1/embeddings", () => {
  it("a string, strings, token arrays; floats (the SDK asks for base64 and decodes it) and dimensions", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    const one = await openai.embeddings.create({
      model: "fake/embed",
      input: "hello embeddings world",
    });
    expect(validate("CreateEmbeddingResponse", one)).toBeNull();
    expect(one.data).toHaveLength(1);
    expect(one.data[0].embedding).toHaveLength(8);
    expect(one.usage).toMatchObject({ prompt_tokens: 3 });

    const many = await openai.embeddings.create({
      model: "fake/embed",
      input: ["a b", "c d e"],
      dimensions: 4,
      encoding_format: "float",
    });
    expect(validate("CreateEmbeddingResponse", many)).toBeNull();
    expect(many.data.map((d) => d.embedding.length)).toEqual([4, 4]);

    const tokens = await openai.embeddings.create({
      model: "fake/embed",
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    });
    expect(tokens.data).toHaveLength(2);
    expect(tokens.usage.prompt_tokens).toBe(5);

    const rows = await records("fake/embed");
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row).toMatchObject({
        endpoint: "embeddings",
        status: 200,
        completionTokens: 0,
        costSource: "upstream",
      });
    expect(rows.map((r) => r.promptTokens).sort()).toEqual([3, 5, 5]);
  });

  it("base64 as sent by a client that decodes it itself", async () => {
    const response = await fetch(`${t.h.baseURL}/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.value.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "fake/embed", input: "x", encoding_format: "base64" }),
    });
    const body = (await response.json()) as { data: { embedding: string }[] };
    expect(typeof body.data[0].embedding).toBe("string");
    const bytes = Buffer.from(body.data[0].embedding, "base64");
    expect(bytes.byteLength / Float32Array.BYTES_PER_ELEMENT).toBe(8);
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("a chat model asked for embeddings, and an embedding model asked for chat: 404 saying which endpoint it serves", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    await expect(
      openai.embeddings.create({ model: "fake/json", input: "x" }),
    ).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      param: "model",
      message: expect.stringContaining("/v1/chat/completions"),
    });
    await expect(
      openai.responses.create({ model: "fake/embed", input: "x" }),
    ).rejects.toMatchObject({ status: 404, message: expect.stringContaining("/v1/embeddings") });
    await expect(
      openai.completions.create({ model: "fake/embed", prompt: "x" }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("an empty or malformed input is a 400 naming the field", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    await expect(
      openai.embeddings.create({ model: "fake/embed", input: [] }),
    ).rejects.toMatchObject({ status: 400, code: "invalid_request", param: "input" });
    await expect(
      openai.embeddings.create({ model: "fake/embed", input: "x", dimensions: 0 }),
    ).rejects.toMatchObject({ status: 400, param: "dimensions" });
  });
});

describe("/v1/completions", () => {
  it("non-stream: a text_completion valid against OpenAI's schema, metered like chat", async () => {
    const completion = await client(t.h.baseURL, t.value.key).completions.create({
      model: "fake/json",
      prompt: "Once upon",
      max_tokens: 3,
    });
    expect(validate("CreateCompletionResponse", completion)).toBeNull();
    expect(completion.choices[0]).toMatchObject({ text: " tok tok tok", finish_reason: "length" });
    const [row] = await records("fake/json", "completions");
    expect(row).toMatchObject({
      endpoint: "completions",
      status: 200,
      promptTokens: 11,
      completionTokens: 3,
      costSource: "upstream",
    });
  });

  it("no max_tokens: OpenAI's default of 16 is what goes upstream", async () => {
    await client(t.h.baseURL, t.value.key).completions.create({
      model: "fake/json",
      prompt: ["a", "b"],
    });
    const seen = (await (await fetch(`${t.h.upstream.url}/_fake/requests`)).json()) as {
      url: string;
      body: Record<string, unknown>;
    }[];
    expect(seen.at(-1)).toMatchObject({
      url: "/v1/completions",
      body: { model: "json", max_tokens: 16, prompt: ["a", "b"] },
    });
  });

  it("streamed: every chunk relayed, usage only when asked, metered from the upstream's usage", async () => {
    const stream = await client(t.h.baseURL, t.value.key).completions.create({
      model: "fake/sse",
      prompt: "Once upon",
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    // OpenAI's schema has no null finish_reason, which every streamed chunk but the last carries.
    expect(validate("CreateCompletionResponse", chunks.at(-1))).toBeNull();
    expect(chunks.map((c) => c.choices[0]?.text ?? "").join("")).toBe(" tok tok tok tok tok");
    expect(chunks.some((c) => c.usage)).toBe(false);
    const [row] = await records("fake/sse");
    expect(row).toMatchObject({
      endpoint: "completions",
      streamed: true,
      completionTokens: 5,
      costSource: "upstream",
    });
  });

  it("streamed without usage from the upstream: charged by the gateway's own count", async () => {
    const stream = await client(t.h.baseURL, t.value.key).completions.create({
      model: "fake/sse-no-usage",
      prompt: "Once upon",
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) void chunk;
    const [row] = await records("fake/sse-no-usage");
    expect(row).toMatchObject({
      endpoint: "completions",
      costSource: "estimate",
      completionTokens: 5,
    });
    expect(row.cost).toBeGreaterThan(0n);
  });

  it("the built-in echo model does not serve legacy completions: 404 that says so", async () => {
    await expect(
      client(t.h.baseURL, t.value.key).completions.create({
        model: "modelbridge/echo",
        prompt: "x",
      }),
    ).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      message: expect.stringContaining("/v1/responses"),
    });
  });
});

describe("/v1/models", () => {
  it("lists each model once, with its kind and the endpoints it serves", async () => {
    const list = await client(t.h.baseURL, t.value.key).models.list();
    const byId = new Map(
      list.data.map((m) => [m.id, m as unknown as { kind: string; endpoints: string[] }]),
    );
    expect(list.data.filter((m) => m.id === "fake/embed")).toHaveLength(1);
    expect(byId.get("fake/embed")).toMatchObject({
      kind: "embedding",
      endpoints: ["/v1/embeddings"],
    });
    expect(byId.get("fake/json")).toMatchObject({
      kind: "chat",
      endpoints: ["/v1/chat/completions", "/v1/responses", "/v1/completions", "/v1/messages"],
    });
    expect(byId.get("modelbridge/echo")).toMatchObject({
      kind: "chat",
      endpoints: ["/v1/chat/completions", "/v1/responses", "/v1/messages"],
    });
  });
});
