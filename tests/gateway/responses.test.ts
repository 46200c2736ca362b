import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { models } from "@/db/schema";
import { openAiSchemas } from "../helpers/openai-schemas";
import {
  client,
  registerFakeModels,
  harnessForFile,
  usageFor,
  userWithKey,
} from "../helpers/harness";

/**
 * `/v1/responses` through the real gateway, with the official SDK as the client: translated
 * onto a chat-only upstream (the fake one), and passed through to a native Responses server.
 */
const validate = openAiSchemas();

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "json",
    "sse",
    "sse-no-usage",
    "tools",
    "reasoning-content",
    "echo-request",
    "native",
    "error-500",
  ]);
  await h.database.db
    .update(models)
    .set({ nativeResponses: true })
    .where(eq(models.name, "fake/native"));
  h.runtime.deps.models.evict("*");
  const { key, keyId } = await userWithKey(h.database);
  return { key, keyId };
});

const records = async (model: string) => {
  await t.h.runtime.flush();
  return (await usageFor(t.h.database, t.value.keyId)).filter((r) => r.model === model);
};

describe("/v1/responses on a chat-only upstream", () => {
  it("plain: a Response valid against OpenAI's schema, output_text, usage, recorded as responses", async () => {
    const response = await client(t.h.baseURL, t.value.key).responses.create({
      model: "fake/json",
      input: "hi",
      instructions: "Be brief.",
      max_output_tokens: 50,
      metadata: { run: "1" },
    });
    expect(validate("Response", response)).toBeNull();
    expect(response).toMatchObject({
      status: "completed",
      model: "fake/json",
      instructions: "Be brief.",
      metadata: { run: "1" },
    });
    expect(response.output_text).toBe(" tok tok tok tok tok");
    expect(response.usage).toMatchObject({ input_tokens: 11, output_tokens: 5, total_tokens: 16 });
    const [record] = await records("fake/json");
    expect(record).toMatchObject({
      endpoint: "responses",
      status: 200,
      promptTokens: 11,
      completionTokens: 5,
      cost: 21n,
      costSource: "upstream",
      streamed: false,
    });
  });

  it("what reaches the upstream is a chat request: system + user messages, max_tokens, the upstream's model name", async () => {
    const response = await client(t.h.baseURL, t.value.key).responses.create({
      model: "fake/echo-request",
      input: "hi",
      instructions: "Rules.",
      max_output_tokens: 30,
      temperature: 0.3,
    });
    const seen = JSON.parse(response.output_text) as { body: Record<string, unknown>; url: string };
    expect(seen.url).toBe("/v1/chat/completions");
    expect(seen.body).toMatchObject({
      model: "echo-request",
      max_tokens: 30,
      temperature: 0.3,
      messages: [
        { role: "system", content: "Rules." },
        { role: "user", content: "hi" },
      ],
    });
    expect(seen.body).not.toHaveProperty("input");
    expect(seen.body).not.toHaveProperty("instructions");
  });

  it("streamed: typed events in order, each valid, text deltas add up, completed carries usage", async () => {
    const stream = await client(t.h.baseURL, t.value.key).responses.create({
      model: "fake/sse",
      input: "hi",
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    for (const event of events)
      expect(validate("ResponseStreamEvent", event), event.type).toBeNull();
    expect(events[0].type).toBe("response.created");
    expect(events.at(-1)!.type).toBe("response.completed");
    const text = events
      .flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []))
      .join("");
    expect(text).toBe(" tok tok tok tok tok");
    const completed = events.at(-1) as { response: { usage: unknown; output_text?: string } };
    expect(completed.response.usage).toMatchObject({ input_tokens: 11, output_tokens: 5 });
    const [record] = await records("fake/sse");
    expect(record).toMatchObject({
      endpoint: "responses",
      streamed: true,
      status: 200,
      completionTokens: 5,
      costSource: "upstream",
    });
  });

  it("a tool round trip: the model calls a function, the client sends its output, the model answers", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    const tools = [
      {
        type: "function" as const,
        name: "exec_command",
        description: "Run a shell command",
        parameters: { type: "object", properties: { cmd: { type: "string" } }, required: ["cmd"] },
        strict: false,
      },
    ];
    const first = await openai.responses.create({
      model: "fake/tools",
      input: "say hi in the shell",
      tools,
    });
    expect(validate("Response", first)).toBeNull();
    const call = first.output.find((item) => item.type === "function_call");
    expect(call).toMatchObject({
      type: "function_call",
      name: "exec_command",
      call_id: "call_fake_1",
      arguments: '{"cmd":"echo modelbridge-tool-ok"}',
    });

    const second = await openai.responses.create({
      model: "fake/tools",
      input: [
        { role: "user", content: "say hi in the shell" },
        call!,
        {
          type: "function_call_output",
          call_id: call!.type === "function_call" ? call!.call_id : "",
          output: "modelbridge-tool-ok\n",
        },
      ],
      tools,
      stream: true,
    });
    let text = "";
    for await (const event of second)
      if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toBe("Done: modelbridge-tool-ok");
  });

  it("streamed tool call: arguments arrive as deltas and the done event has them whole", async () => {
    const stream = await client(t.h.baseURL, t.value.key).responses.create({
      model: "fake/tools",
      input: "run it",
      tools: [
        {
          type: "function",
          name: "exec_command",
          parameters: { type: "object", properties: { cmd: { type: "string" } } },
          strict: false,
        },
      ],
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    for (const event of events)
      expect(validate("ResponseStreamEvent", event), event.type).toBeNull();
    expect(
      events.filter((e) => e.type === "response.function_call_arguments.delta").length,
    ).toBeGreaterThan(1);
    expect(events.find((e) => e.type === "response.function_call_arguments.done")).toMatchObject({
      arguments: '{"cmd":"echo modelbridge-tool-ok"}',
    });
  });

  it("reasoning from the upstream comes back as a reasoning item", async () => {
    const response = await client(t.h.baseURL, t.value.key).responses.create({
      model: "fake/reasoning-content",
      input: "6×7?",
    });
    expect(validate("Response", response)).toBeNull();
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(response.output_text).toBe("42");
  });

  it("hosted tools are left out and named in x-modelbridge-dropped and the log", async () => {
    const { response } = await client(t.h.baseURL, t.value.key)
      .responses.create({ model: "fake/json", input: "hi", tools: [{ type: "web_search" }] })
      .withResponse();
    expect(response.headers.get("x-modelbridge-dropped")).toBe("web_search");
    const line = t.h.logs.find(
      (l) => l.msg === "v1 request" && l.request_id === response.headers.get("x-request-id"),
    );
    expect(line).toMatchObject({ endpoint: "responses", dropped: ["web_search"] });
  });

  it("previous_response_id and store: true are refused with a 400 that says why, and nothing is charged", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    await expect(
      openai.responses.create({ model: "fake/json", input: "hi", previous_response_id: "resp_1" }),
    ).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
      param: "previous_response_id",
      message: expect.stringContaining("stored"),
    });
    await expect(
      openai.responses.create({ model: "fake/json", input: "hi", store: true }),
    ).rejects.toMatchObject({ status: 400, param: "store" });
  });

  it("an upstream failure mid-way is a 502 in OpenAI's envelope, recorded, free", async () => {
    await expect(
      client(t.h.baseURL, t.value.key).responses.create({ model: "fake/error-500", input: "hi" }),
    ).rejects.toMatchObject({ status: 502, code: "upstream_error" });
    const [record] = await records("fake/error-500");
    expect(record).toMatchObject({ endpoint: "responses", status: 502, cost: 0n });
  });

  it("an embedding model is not a chat model: 404 model_not_found saying where it serves", async () => {
    await t.h.database.db
      .update(models)
      .set({ kind: "embedding" })
      .where(eq(models.name, "fake/sse-no-usage"));
    t.h.runtime.deps.models.evict("*");
    await expect(
      client(t.h.baseURL, t.value.key).responses.create({
        model: "fake/sse-no-usage",
        input: "hi",
      }),
    ).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
      message: expect.stringContaining("/v1/embeddings"),
    });
  });
});

describe("/v1/responses on a model that serves Responses natively", () => {
  it("passes through (previous_response_id allowed), meters its usage with cached input", async () => {
    const openai = client(t.h.baseURL, t.value.key);
    const first = await openai.responses.create({ model: "fake/native", input: "hi" });
    const response = await openai.responses.create({
      model: "fake/native",
      input: "hi",
      previous_response_id: first.id,
      store: true,
    });
    expect(response.output_text).toBe("native ok");
    const seen = (await (await fetch(`${t.h.upstream.url}/_fake/requests`)).json()) as {
      url: string;
      body: Record<string, unknown>;
    }[];
    expect(seen.at(-1)).toMatchObject({
      url: "/v1/responses",
      body: {
        model: "native",
        previous_response_id: first.id,
        store: true,
        max_output_tokens: 256,
      },
    });
    const stream = await openai.responses.create({
      model: "fake/native",
      input: "hi",
      stream: true,
    });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    const rows = await records("fake/native");
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row).toMatchObject({
        endpoint: "responses",
        promptTokens: 11,
        cachedInputTokens: 4,
        completionTokens: 2,
        costSource: "upstream",
      });
  });
});
