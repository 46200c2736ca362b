import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { createModel } from "@/lib/models/service";
import { createModelInput } from "@/lib/models/schemas";
import { client, createKey, createUser, startHarness, type Harness } from "../helpers/harness";

/**
 * Issue 27 (item 9's sibling): an upstream that fails in the middle of a stream, after
 * content reached the client, sends its own error event. The client gets the protocol's
 * error event with the upstream's code and gist, never what the upstream said about itself:
 * the credential it was called with, its URLs and addresses, file paths, a stack. Every
 * protocol passed through, and the translated paths that read those events.
 */
const CREDENTIAL = "upstream-cred-midstream-7f3a";
const LEAKS = [
  CREDENTIAL,
  "hunter2",
  "10.0.3.7",
  "/internal/debug",
  "/srv/models",
  "handlers.py",
  "Object.<anonymous>",
  "debug_info",
];

let h: Harness;
let upstream: http.Server;
let key: string;

/** The upstream's confession: everything it should not tell the client, around a gist. */
function leaky(req: http.IncomingMessage): string {
  const credential =
    req.headers.authorization ?? req.headers["x-api-key"] ?? req.headers["x-goog-api-key"];
  return `upstream failed mid-generation. Authorization: ${String(credential)}; key ${CREDENTIAL}; see http://admin:hunter2@10.0.3.7:8443/internal/debug (raised in /srv/models/app/handlers.py:42)`;
}
const STACK = "Error: boom\n    at Object.<anonymous> (/srv/models/app/handlers.py:42:7)";

const sse = (res: http.ServerResponse, name: string | null, data: unknown) =>
  res.write(`${name ? `event: ${name}\n` : ""}data: ${JSON.stringify(data)}\n\n`);

async function startLeakyUpstream(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      res.writeHead(200, { "content-type": "text/event-stream" });
      if (path.endsWith("/chat/completions")) {
        sse(res, null, {
          id: "c1",
          object: "chat.completion.chunk",
          created: 1,
          model: "m",
          choices: [
            { index: 0, delta: { role: "assistant", content: "Hello" }, finish_reason: null },
          ],
        });
        sse(res, null, {
          error: {
            message: leaky(req),
            type: "server_error",
            code: "overloaded",
            stack: STACK,
            debug_info: { host: "10.0.3.7" },
          },
        });
        return res.end();
      }
      if (path.endsWith("/responses")) {
        sse(res, "response.created", {
          type: "response.created",
          sequence_number: 0,
          response: { id: "resp_1", object: "response", status: "in_progress", output: [] },
        });
        sse(res, "response.output_text.delta", {
          type: "response.output_text.delta",
          sequence_number: 1,
          item_id: "msg_1",
          output_index: 0,
          content_index: 0,
          delta: "Hello",
        });
        sse(res, "error", {
          type: "error",
          sequence_number: 2,
          code: "server_error",
          message: leaky(req),
          param: null,
          stack: STACK,
        });
        sse(res, "response.failed", {
          type: "response.failed",
          sequence_number: 3,
          response: {
            id: "resp_1",
            object: "response",
            status: "failed",
            output: [],
            error: { code: "server_error", message: leaky(req), debug_info: STACK },
          },
        });
        return res.end();
      }
      if (path.endsWith("/messages")) {
        sse(res, "message_start", {
          type: "message_start",
          message: {
            id: "msg_1",
            type: "message",
            role: "assistant",
            model: "m",
            content: [],
            stop_reason: null,
            usage: { input_tokens: 3, output_tokens: 1 },
          },
        });
        sse(res, "content_block_start", {
          type: "content_block_start",
          index: 0,
          content_block: { type: "text", text: "" },
        });
        sse(res, "content_block_delta", {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: "Hello" },
        });
        sse(res, "error", {
          type: "error",
          error: { type: "overloaded_error", message: leaky(req), stack: STACK },
        });
        return res.end();
      }
      if (path.includes(":streamGenerateContent")) {
        sse(res, null, {
          candidates: [{ content: { role: "model", parts: [{ text: "Hello" }] }, index: 0 }],
        });
        sse(res, null, {
          error: {
            code: 500,
            message: leaky(req),
            status: "INTERNAL",
            details: [{ debug_info: STACK }],
          },
        });
        return res.end();
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

beforeAll(async () => {
  h = await startHarness();
  upstream = await startLeakyUpstream();
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const models = [
    { name: "mid/chat", base_url: `${origin}/v1`, provider: "openai" as const },
    {
      name: "mid/responses",
      base_url: `${origin}/v1`,
      provider: "openai" as const,
      native_responses: true,
    },
    { name: "mid/claude", base_url: origin, provider: "anthropic" as const },
    { name: "mid/gemini", base_url: origin, provider: "gemini" as const },
  ];
  for (const model of models)
    await createModel(
      h.database,
      createModelInput.parse({
        ...model,
        upstream_model: "m",
        api_key: CREDENTIAL,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
      }),
      null,
    );
  key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
});

afterAll(async () => {
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await h?.close();
});

const gatewayOrigin = () => h.baseURL.replace(/\/v1$/, "");

/** What the client's connection carried, start to end. */
async function streamed(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gatewayOrigin()}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const chatBody = (model: string) => ({
  model,
  stream: true,
  messages: [{ role: "user", content: "hi" }],
});
const messagesBody = (model: string) => ({
  model,
  stream: true,
  max_tokens: 50,
  messages: [{ role: "user", content: "hi" }],
});
const responsesBody = (model: string) => ({ model, stream: true, input: "hi" });

describe("an upstream's error event in the middle of a stream", () => {
  it.each([
    ["chat completions, passed through", "/v1/chat/completions", chatBody("mid/chat"), {}],
    ["Responses, passed through", "/v1/responses", responsesBody("mid/responses"), {}],
    [
      "Messages, passed through",
      "/v1/messages",
      messagesBody("mid/claude"),
      { "anthropic-version": "2023-06-01" },
    ],
    [
      "Gemini, passed through",
      "/v1beta/models/mid/gemini:streamGenerateContent?alt=sse",
      { contents: [{ role: "user", parts: [{ text: "hi" }] }] },
      {},
    ],
    [
      "Messages on a chat model (translated)",
      "/v1/messages",
      messagesBody("mid/chat"),
      { "anthropic-version": "2023-06-01" },
    ],
    ["Responses on a chat model (translated)", "/v1/responses", responsesBody("mid/chat"), {}],
    [
      "chat completions on a Claude model (translated)",
      "/v1/chat/completions",
      chatBody("mid/claude"),
      {},
    ],
    [
      "chat completions on a Gemini model (translated)",
      "/v1/chat/completions",
      chatBody("mid/gemini"),
      {},
    ],
  ])(
    "%s: the gist reaches the client, the upstream's secrets do not",
    async (_name, path, body, headers) => {
      const { status, text } = await streamed(path, body, headers as Record<string, string>);
      expect(status).toBe(200);
      expect(text).toContain("Hello");
      expect(text).toContain("upstream failed mid-generation");
      for (const leak of LEAKS) expect(text).not.toContain(leak);
      expect(text).not.toContain(key);
    },
  );

  it("the OpenAI SDK raises the upstream's code and cleaned message", async () => {
    const stream = await client(h.baseURL, key).chat.completions.create(
      chatBody("mid/chat") as never,
    );
    let caught: unknown = null;
    let text = "";
    try {
      for await (const part of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>)
        text += part.choices[0]?.delta?.content ?? "";
    } catch (error) {
      caught = error;
    }
    expect(text).toBe("Hello");
    const message = (caught as Error | null)?.message ?? "";
    expect(message).toContain("upstream failed mid-generation");
    expect(message).toContain("Authorization: [redacted]");
    for (const leak of LEAKS) expect(message).not.toContain(leak);
  });
});
