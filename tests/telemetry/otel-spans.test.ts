import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Anthropic from "@anthropic-ai/sdk";
import * as semconv from "@opentelemetry/semantic-conventions/incubating";
import { telemetrySettings } from "@/lib/env";
import { createDeployment } from "@/lib/models/deployments";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { GEN_AI } from "@/lib/gateway/tracing/gen-ai";
import { setKeyCapture } from "@/lib/requests/capture-settings";
import { createTracing } from "@/lib/telemetry/process-tracing";
import type { Tracing } from "@/lib/telemetry/start-tracing";
import { tracingConfig } from "@/lib/telemetry/tracing-config";
import {
  client,
  createUser,
  registerFakeModels,
  startHarness,
  userWithKey,
  type Harness,
} from "../helpers/harness";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "./otlp-receiver";

/**
 * OpenTelemetry end to end: the gateway with tracing configured by the standard OTEL_*
 * variables, exporting OTLP/HTTP protobuf to a real receiver that decodes it with the
 * official opentelemetry-proto definitions. Each /v1 request is one SERVER span with the
 * GenAI attributes, each upstream attempt a CLIENT span under it; the client's traceparent
 * is continued, and the upstream receives the attempt's.
 */
let h: Harness;
let receiver: OtlpReceiver;
let tracing: Tracing;
let key = "";
let keyId = "";
const traceLogs: Record<string, unknown>[] = [];

const CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const config = tracingConfig(
    telemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "modelbridge-test",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=test",
      OTEL_EXPORTER_OTLP_HEADERS: "x-collector-token=secret%20value",
      OTEL_BSP_SCHEDULE_DELAY: "50",
    }),
  );
  tracing = (await createTracing(config, (line) => traceLogs.push(line)))!;
  h = await startHarness({ tracing });
  await registerFakeModels(h.database, h.upstream.url, ["json", "sse"]);
  ({ key, keyId } = await userWithKey(h.database));

  // A model whose first deployment always answers 503, with a second deployment (a lower
  // tier, tried next) that answers.
  const admin = await createUser(h.database, "admin");
  const model = await createModel(
    h.database,
    createModelInput.parse({
      name: "otel-failover",
      base_url: h.upstream.url,
      upstream_model: "fault:503:otel",
      input_price_per_million: 1,
      output_price_per_million: 2,
    }),
    admin.id,
  );
  await createDeployment(
    h.database,
    model.id,
    { base_url: h.upstream.url, upstream_model: "json", priority: 1 },
    admin.id,
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

/**
 * The spans of one request, by its x-request-id, once exported. Polled: a flush does not
 * wait for an export the batch processor's timer already started.
 */
async function spansOf(requestId: string) {
  await h.runtime.flush();
  const find = () =>
    receiver.spans.find((s) => s.attributes["modelbridge.request.id"] === requestId);
  for (let i = 0; i < 200 && !find(); i++) {
    await tracing.flush();
    if (!find()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const server = find();
  expect(server, `no span for ${requestId}`).toBeDefined();
  const attempts = receiver.spans
    .filter((s) => s.parentSpanId === server!.spanId)
    .sort(
      (a, b) =>
        Number(a.attributes["modelbridge.attempt"]) - Number(b.attributes["modelbridge.attempt"]),
    );
  return { server: server!, attempts };
}

async function upstreamSaw(model: string) {
  const received = (await (await fetch(`${h.upstream.url}/_fake/requests`)).json()) as {
    headers: Record<string, string>;
    body: { model?: string };
  }[];
  return received.filter((r) => r.body?.model === model).at(-1)!;
}

function expectGenAi(span: ReceivedSpan, values: Record<string, unknown>) {
  for (const [name, value] of Object.entries(values))
    expect(span.attributes[name], name).toEqual(value);
}

describe("spans for /v1 requests", () => {
  it("chat: a SERVER span continuing the client's traceparent, a CLIENT span per attempt, the attempt's traceparent upstream", async () => {
    const { data, response } = await client(h.baseURL, key)
      .chat.completions.create(
        { model: "fake/json", messages: [{ role: "user", content: "hi" }] },
        {
          headers: { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`, tracestate: "vendor=x" },
        },
      )
      .withResponse();
    expect(data.choices[0].message.content).toBe(" tok tok tok tok tok");
    const requestId = response.headers.get("x-request-id")!;
    const { server, attempts } = await spansOf(requestId);

    expect(server.traceId).toBe(CLIENT_TRACE);
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.kind).toBe("SPAN_KIND_SERVER");
    expect(server.name).toBe("chat fake/json");
    expectGenAi(server, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "fake/json",
      "gen_ai.response.model": "fake/json",
      "gen_ai.request.stream": false,
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 5,
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
      "modelbridge.key.id": keyId,
      "modelbridge.attempts": 1,
      "modelbridge.cost": 0.000021,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(server.attributes["error.type"]).toBeUndefined();
    // Payload capture is off for this key: no message content in the span.
    expect(server.attributes["gen_ai.input.messages"]).toBeUndefined();
    expect(server.attributes["gen_ai.output.messages"]).toBeUndefined();
    expect(server.resource["service.name"]).toBe("modelbridge-test");
    expect(server.resource["deployment.environment.name"]).toBe("test");
    // The raw key appears nowhere in what was exported.
    expect(JSON.stringify(receiver.spans)).not.toContain(key);

    expect(attempts).toHaveLength(1);
    const [attempt] = attempts;
    expect(attempt.kind).toBe("SPAN_KIND_CLIENT");
    expect(attempt.traceId).toBe(CLIENT_TRACE);
    expect(attempt.name).toBe("chat json");
    expectGenAi(attempt, {
      "gen_ai.request.model": "json",
      "gen_ai.response.model": "json",
      "gen_ai.provider.name": "openai",
      "server.address": "127.0.0.1",
      "modelbridge.attempt": 1,
      "modelbridge.attempt.outcome": "ok",
      "modelbridge.fallback": false,
    });
    expect(attempt.attributes["modelbridge.deployment.id"]).toEqual(expect.any(String));

    const seen = await upstreamSaw("json");
    expect(seen.headers.traceparent).toBe(`00-${CLIENT_TRACE}-${attempt.spanId}-01`);
    expect(seen.headers.tracestate).toBe("vendor=x");

    // The request's log line names the same trace and span.
    const line = h.logs.find((l) => l.msg === "v1 request" && l.request_id === requestId)!;
    expect(line).toMatchObject({ trace_id: CLIENT_TRACE, span_id: server.spanId });
  });

  it("streamed chat: the span covers the stream, with its usage and time to first chunk", async () => {
    const { data: stream, response } = await client(h.baseURL, key)
      .chat.completions.create({
        model: "fake/sse",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(" tok tok tok tok tok");
    const { server, attempts } = await spansOf(response.headers.get("x-request-id")!);
    // No traceparent from the client: a new trace, with no parent.
    expect(server.parentSpanId).toBe("");
    expectGenAi(server, {
      "gen_ai.request.stream": true,
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 5,
      "http.response.status_code": 200,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(server.attributes["gen_ai.output.messages"]).toBeUndefined();
    expect(server.attributes["gen_ai.response.time_to_first_chunk"]).toEqual(expect.any(Number));
    expect(attempts).toHaveLength(1);
    expect(attempts[0].attributes["gen_ai.usage.output_tokens"]).toBe(5);
    const seen = await upstreamSaw("sse");
    expect(seen.headers.traceparent).toBe(`00-${server.traceId}-${attempts[0].spanId}-01`);
  });

  it("Responses: the same span shape on /v1/responses", async () => {
    const { data, response } = await client(h.baseURL, key)
      .responses.create({ model: "fake/json", input: "hi" })
      .withResponse();
    expect(data.output_text).toBe(" tok tok tok tok tok");
    const { server, attempts } = await spansOf(response.headers.get("x-request-id")!);
    expect(server.name).toBe("chat fake/json");
    expectGenAi(server, {
      "gen_ai.operation.name": "chat",
      "http.route": "/v1/responses",
      "modelbridge.endpoint": "responses",
      "gen_ai.usage.output_tokens": 5,
      "modelbridge.key.id": keyId,
      "gen_ai.response.finish_reasons": ["completed"],
    });
    expect(attempts).toHaveLength(1);
  });

  it("streamed Responses and streamed Messages: finish_reasons from the stream's end", async () => {
    const { data: stream, response } = await client(h.baseURL, key)
      .responses.create({ model: "fake/sse", input: "hi", stream: true })
      .withResponse();
    for await (const _ of stream) void _;
    const responses = await spansOf(response.headers.get("x-request-id")!);
    expectGenAi(responses.server, {
      "modelbridge.endpoint": "responses",
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["completed"],
    });

    const anthropic = new Anthropic({
      apiKey: key,
      baseURL: h.baseURL.replace(/\/v1$/, ""),
      maxRetries: 0,
    });
    const { data: events, response: messagesResponse } = await anthropic.messages
      .create({
        model: "fake/sse",
        max_tokens: 64,
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
      .withResponse();
    for await (const _ of events) void _;
    const messages = await spansOf(messagesResponse.headers.get("request-id")!);
    expectGenAi(messages.server, {
      "http.route": "/v1/messages",
      "gen_ai.request.stream": true,
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    expect(messages.server.attributes["gen_ai.input.messages"]).toBeUndefined();
  });

  it("message content goes into the span only when payload capture covers the request", async () => {
    const captured = await userWithKey(h.database);
    const admin = await createUser(h.database, "admin");
    await setKeyCapture(
      h.database.db,
      { user: { id: admin.id, email: admin.email, name: admin.name, role: "admin" }, keyId: null },
      captured.keyId,
      { enabled: true, sample_rate: 1 },
    );
    const sdk = client(h.baseURL, captured.key);
    const { response } = await sdk.chat.completions
      .create({
        model: "fake/json",
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "what is in the span?" },
        ],
      })
      .withResponse();
    const { server } = await spansOf(response.headers.get("x-request-id")!);
    expect(JSON.parse(String(server.attributes["gen_ai.input.messages"]))).toEqual([
      { role: "system", parts: [{ type: "text", content: "be brief" }] },
      { role: "user", parts: [{ type: "text", content: "what is in the span?" }] },
    ]);
    expect(JSON.parse(String(server.attributes["gen_ai.output.messages"]))).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: " tok tok tok tok tok" }],
        finish_reason: "stop",
      },
    ]);

    // Streamed Messages: the deltas joined, the system prompt as system instructions.
    const anthropic = new Anthropic({
      apiKey: captured.key,
      baseURL: h.baseURL.replace(/\/v1$/, ""),
      maxRetries: 0,
    });
    const { data: events, response: streamed } = await anthropic.messages
      .create({
        model: "fake/sse",
        max_tokens: 64,
        system: "answer in tokens",
        messages: [{ role: "user", content: "stream it" }],
        stream: true,
      })
      .withResponse();
    for await (const _ of events) void _;
    const messages = await spansOf(streamed.headers.get("request-id")!);
    expect(JSON.parse(String(messages.server.attributes["gen_ai.system_instructions"]))).toEqual([
      { type: "text", content: "answer in tokens" },
    ]);
    expect(JSON.parse(String(messages.server.attributes["gen_ai.input.messages"]))).toEqual([
      { role: "user", parts: [{ type: "text", content: "stream it" }] },
    ]);
    expect(JSON.parse(String(messages.server.attributes["gen_ai.output.messages"]))).toEqual([
      {
        role: "assistant",
        parts: [{ type: "text", content: " tok tok tok tok tok" }],
        finish_reason: "end_turn",
      },
    ]);
    // The key is still never exported.
    expect(JSON.stringify(receiver.spans)).not.toContain(captured.key);
  });

  it("Messages (Anthropic's SDK): the same span shape on /v1/messages", async () => {
    const anthropic = new Anthropic({
      apiKey: key,
      baseURL: h.baseURL.replace(/\/v1$/, ""),
      maxRetries: 0,
    });
    const { data, response } = await anthropic.messages
      .create({
        model: "fake/json",
        max_tokens: 64,
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: " tok tok tok tok tok" });
    const { server, attempts } = await spansOf(response.headers.get("request-id")!);
    expectGenAi(server, {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "fake/json",
      "http.route": "/v1/messages",
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 5,
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    expect(attempts).toHaveLength(1);
  });

  it("failover: the first deployment's 503 is one attempt span (why, what next), the second answers", async () => {
    const { data, response } = await client(h.baseURL, key)
      .chat.completions.create({
        model: "otel-failover",
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    expect(data.choices[0].message.content).toBe(" tok tok tok tok tok");
    const { server, attempts } = await spansOf(response.headers.get("x-request-id")!);
    expectGenAi(server, {
      "http.response.status_code": 200,
      "modelbridge.attempts": 2,
      "gen_ai.request.model": "otel-failover",
      "gen_ai.response.model": "otel-failover",
    });
    expect(server.status.code).not.toBe("STATUS_CODE_ERROR");
    expect(attempts).toHaveLength(2);
    const [failed, answered] = attempts;
    expectGenAi(failed, {
      "gen_ai.request.model": "fault:503:otel",
      "http.response.status_code": 503,
      "modelbridge.attempt.outcome": "server_error",
      "modelbridge.attempt.next": "next",
    });
    expect(failed.attributes["error.type"]).toEqual(expect.any(String));
    expect(failed.status.code).toBe("STATUS_CODE_ERROR");
    expectGenAi(answered, {
      "gen_ai.request.model": "json",
      "modelbridge.attempt.outcome": "ok",
      "gen_ai.usage.output_tokens": 5,
    });
    expect(answered.attributes["modelbridge.deployment.id"]).not.toBe(
      failed.attributes["modelbridge.deployment.id"],
    );
    expect(server.attributes["modelbridge.deployment.id"]).toBe(
      answered.attributes["modelbridge.deployment.id"],
    );
  });

  it("a refused request: error.type is its code, and the key id, never the key", async () => {
    const error = (await client(h.baseURL, key)
      .chat.completions.create({
        model: "no-such-model",
        messages: [{ role: "user", content: "hi" }],
      })
      .then(
        () => null,
        (e: unknown) => e,
      )) as { status: number; headers: Headers };
    expect(error.status).toBe(404);
    const { server, attempts } = await spansOf(error.headers.get("x-request-id")!);
    expectGenAi(server, {
      "http.response.status_code": 404,
      "error.type": "model_not_found",
      "modelbridge.key.id": keyId,
    });
    expect(server.status.code).not.toBe("STATUS_CODE_ERROR");
    expect(attempts).toHaveLength(0);
  });

  it("exports OTLP/protobuf with OTEL_EXPORTER_OTLP_HEADERS; the attribute names are the conventions' own", () => {
    expect(receiver.contentTypes.every((t) => t === "application/x-protobuf")).toBe(true);
    expect(traceLogs.filter((l) => l.msg === "trace export failed")).toEqual([]);
    const official: Record<keyof typeof GEN_AI, string> = {
      operation: semconv.ATTR_GEN_AI_OPERATION_NAME,
      provider: semconv.ATTR_GEN_AI_PROVIDER_NAME,
      system: semconv.ATTR_GEN_AI_SYSTEM,
      requestModel: semconv.ATTR_GEN_AI_REQUEST_MODEL,
      responseModel: semconv.ATTR_GEN_AI_RESPONSE_MODEL,
      stream: semconv.ATTR_GEN_AI_REQUEST_STREAM,
      inputTokens: semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
      outputTokens: semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
      cacheReadTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
      cacheWriteTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      timeToFirstChunk: semconv.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
      finishReasons: semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
      inputMessages: semconv.ATTR_GEN_AI_INPUT_MESSAGES,
      outputMessages: semconv.ATTR_GEN_AI_OUTPUT_MESSAGES,
      systemInstructions: semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
    };
    expect(GEN_AI).toEqual(official);
  });
});
