import { describe, expect, it } from "vitest";
import http from "node:http";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { models } from "@/db/schema";
import {
  client,
  keyRow,
  openAiValidator,
  registerFakeModels,
  harnessForFile,
  usageFor,
  userWithKey,
} from "../helpers/harness";

const validate = openAiValidator();

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "json",
    "echo-request",
    "sse",
    "sse-no-usage",
  ]);
  const { key, keyId } = await userWithKey(h.database);
  return { key, keyId };
});

describe("completions through a registered model", () => {
  it("non-streaming: returns the upstream's answer, valid against OpenAI's schema, and meters it", async () => {
    const completion = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "fake/json",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(validate("CreateChatCompletionResponse", completion)).toBeNull();
    expect(completion.choices[0].message.content).toBe(" tok tok tok tok tok");
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });

    await t.h.runtime.flush();
    const records = (await usageFor(t.h.database, t.value.keyId)).filter(
      (r) => r.model === "fake/json",
    );
    expect(records).toHaveLength(1);
    // 11 × 1.00 + 5 × 2.00 per 1M tokens = 21 micro-units.
    expect(records[0]).toMatchObject({
      status: 200,
      promptTokens: 11,
      completionTokens: 5,
      cost: 21n,
      costSource: "upstream",
      streamed: false,
    });
    expect((await keyRow(t.h.database, t.value.keyId)).spend).toBeGreaterThanOrEqual(21n);
  });

  it("streaming: relays every chunk and [DONE]; hides the usage chunk the client did not ask for", async () => {
    const stream = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "fake/sse",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks)
      expect(validate("CreateChatCompletionStreamResponse", chunk)).toBeNull();
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
      " tok tok tok tok tok",
    );
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe("stop");
    expect(chunks.some((c) => c.usage)).toBe(false);

    await t.h.runtime.flush();
    const record = (await usageFor(t.h.database, t.value.keyId)).find(
      (r) => r.model === "fake/sse",
    );
    expect(record).toMatchObject({
      status: 200,
      streamed: true,
      completionTokens: 5,
      costSource: "upstream",
    });
  });

  it("streaming with include_usage: the client gets the usage chunk", async () => {
    const stream = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "fake/sse",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 5 });
  });

  it("keeps [DONE] on the wire", async () => {
    const response = await fetch(`${t.h.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.value.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "fake/sse",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const text = await response.text();
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("a stream without usage from the upstream is charged by estimate", async () => {
    const stream = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "fake/sse-no-usage",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    for await (const _ of stream) void _;
    await t.h.runtime.flush();
    const record = (await usageFor(t.h.database, t.value.keyId)).find(
      (r) => r.model === "fake/sse-no-usage",
    );
    expect(record?.costSource).toBe("estimate");
    expect(record?.completionTokens).toBe(5);
    expect(record!.cost).toBeGreaterThan(0n);
  });

  it("passes unknown fields through, replaces Authorization with the model's credential, forwards no custom header", async () => {
    const completion = await client(t.h.baseURL, t.value.key).chat.completions.create(
      {
        model: "fake/echo-request",
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        // vLLM's extensions, unknown to the OpenAI schema.
        ...({ top_k: 1, chat_template_kwargs: { enable_thinking: false } } as object),
        response_format: { type: "json_object" },
        stop: ["a", "b"],
      },
      { headers: { "x-custom-header": "kept", "proxy-authorization": "secret" } },
    );
    const seen = JSON.parse(completion.choices[0].message.content!);
    expect(seen.body).toMatchObject({
      model: "echo-request",
      top_k: 1,
      chat_template_kwargs: { enable_thinking: false },
      response_format: { type: "json_object" },
      stop: ["a", "b"],
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
    expect(seen.headers.authorization).toBe("Bearer upstream-secret-credential");
    expect(JSON.stringify(seen)).not.toContain(t.value.key);
    expect(seen.headers["x-custom-header"]).toBeUndefined();
    expect(seen.headers["proxy-authorization"]).toBeUndefined();
  });

  it("strips hop-by-hop headers, including those named by Connection", async () => {
    const body = JSON.stringify({
      model: "fake/echo-request",
      messages: [{ role: "user", content: "hi" }],
    });
    const { port } = new URL(t.h.baseURL);
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/v1/chat/completions",
          headers: {
            authorization: `Bearer ${t.value.key}`,
            "content-type": "application/json",
            connection: "keep-alive, x-hop",
            "keep-alive": "timeout=5",
            "x-hop": "drop me",
            te: "trailers",
            "x-end-to-end": "keep me",
          },
        },
        (res) => {
          let data = "";
          res.on("data", (c) => (data += c));
          res.on("end", () => resolve(data));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    const seen = JSON.parse(JSON.parse(text).choices[0].message.content);
    expect(seen.headers["x-end-to-end"]).toBeUndefined();
    expect(seen.headers["x-hop"]).toBeUndefined();
    expect(seen.headers["keep-alive"]).toBeUndefined();
    expect(seen.headers.te).toBeUndefined();
  });

  it("never writes a raw key or the upstream credential to the log", () => {
    const all = JSON.stringify(t.h.logs);
    expect(all).not.toContain(t.value.key);
    expect(all).not.toContain("upstream-secret-credential");
    const line = t.h.logs.find((l) => l.msg === "v1 request" && l.model === "fake/json");
    expect(line).toMatchObject({
      key_id: t.value.keyId,
      status: 200,
      prompt_tokens: 11,
      completion_tokens: 5,
      cost_micros: "21",
    });
    expect(line?.request_id).toMatch(/^req_/);
    expect(typeof line?.latency_ms).toBe("number");
  });

  it("stores the upstream credential encrypted", async () => {
    const [row] = await t.h.database.db.select().from(models).where(eq(models.name, "fake/json"));
    expect(row.apiKeyEncrypted).toMatch(/^v1\./);
    expect(row.apiKeyEncrypted).not.toContain("upstream-secret-credential");
  });
});

describe("the built-in echo model", () => {
  it("answers non-streaming with real token counts, priced like a real model", async () => {
    const completion = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "Hello there, gateway" }],
    });
    expect(validate("CreateChatCompletionResponse", completion)).toBeNull();
    expect(completion.choices[0].message.content).toBe("Echo: Hello there, gateway");
    expect(completion.usage!.completion_tokens).toBeGreaterThan(3);
    await t.h.runtime.flush();
    const record = (await usageFor(t.h.database, t.value.keyId)).find(
      (r) => r.model === "modelbridge/echo",
    );
    expect(record!.cost).toBeGreaterThan(0n);
  });

  it("streams, honours max_tokens with finish_reason length", async () => {
    const stream = await client(t.h.baseURL, t.value.key).chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "one two three four five six seven eight nine ten" }],
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks)
      expect(validate("CreateChatCompletionStreamResponse", chunk)).toBeNull();
    const finish = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
    expect(finish).toEqual(["length"]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(3);
  });
});

describe("GET /v1/models", () => {
  it("lists the enabled models in OpenAI's list format", async () => {
    const list = await client(t.h.baseURL, t.value.key).models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain("modelbridge/echo");
    expect(ids).toContain("fake/json");
    const raw = await (
      await fetch(`${t.h.baseURL}/models`, { headers: { authorization: `Bearer ${t.value.key}` } })
    ).json();
    expect(validate("ListModelsResponse", raw)).toBeNull();
  });

  it("a disabled model disappears and gets model_not_found", async () => {
    const { updateModel } = await import("@/lib/models/service");
    const [echo] = await t.h.database.db
      .select()
      .from(models)
      .where(eq(models.name, "modelbridge/echo"));
    await updateModel(t.h.database, echo.id, { enabled: false }, null);
    try {
      const ids = (await client(t.h.baseURL, t.value.key).models.list()).data.map((m) => m.id);
      expect(ids).not.toContain("modelbridge/echo");
      const error = await client(t.h.baseURL, t.value.key)
        .chat.completions.create({
          model: "modelbridge/echo",
          messages: [{ role: "user", content: "x" }],
        })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe("model_not_found");
    } finally {
      await updateModel(t.h.database, echo.id, { enabled: true }, null);
    }
  });
});
