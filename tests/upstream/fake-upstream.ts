/**
 * A fake OpenAI-compatible model server, run as its own process (tests and Playwright's
 * global setup spawn it through start-fake-upstream.ts). The behaviour is chosen per request
 * by the model name it receives (the registered model's upstream_model), so one server
 * serves every case:
 *
 *   json            a chat.completion with usage; honours max_tokens
 *   echo-request    a chat.completion whose content is JSON of the body and headers received
 *   sse             paced SSE; honours max_tokens and stream_options.include_usage
 *   sse-no-usage    paced SSE that never sends usage
 *   sse-ignore-max  paced SSE that ignores max_tokens (for cut-off at the limit)
 *   tools           calls the first tool given with {"city":"Paris"} after some reasoning_content
 *                   (streamed: reasoning, text, then the call's arguments in pieces), with
 *                   cached tokens in usage; answers text once the last message is a tool result
 *   slow            waits `fake_delay_ms` (default 5000) before answering
 *   hang            streams two chunks, then never sends another byte
 *   reset           streams two chunks, then resets the connection
 *   garbage         a stream whose events are not JSON
 *   big             a chat.completion padded to about `fake_bytes` bytes
 *   error-500, error-429, error-400, redirect
 *
 * Body knobs: fake_chunks (default 5), fake_interval_ms (default 20), fake_delay_ms, fake_bytes.
 * `GET /v1/_fake/stats`: TCP connections accepted (all, and those that carried model
 * requests), and responses whose client went away
 * before they ended (to check that the gateway reuses connections and aborts upstreams).
 * Port: FAKE_UPSTREAM_PORT or a free one; prints {"url": "http://127.0.0.1:<port>/v1"}.
 */
import http from "node:http";

const PROMPT_TOKENS = 11;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function completion(model: string, content: string, completionTokens: number, finish: string) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: completionTokens, total_tokens: PROMPT_TOKENS + completionTokens },
  };
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) {
  const choices = finish === "none" ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices, ...extra })}\n\n`;
}

async function stream(res: http.ServerResponse, body: Record<string, any>, mode: { usage: boolean; honourMax: boolean }) {
  const model = String(body.model);
  const wanted = Number(body.fake_chunks ?? 5);
  const max = Number(body.max_completion_tokens ?? body.max_tokens ?? Infinity);
  const count = mode.honourMax ? Math.min(wanted, max) : wanted;
  const interval = Number(body.fake_interval_ms ?? 20);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(chunk(model, { role: "assistant", content: "" }, null));
  for (let i = 0; i < count; i++) {
    if (res.destroyed) return;
    await sleep(interval);
    res.write(chunk(model, { content: " tok" }, null));
  }
  res.write(chunk(model, {}, count < wanted ? "length" : "stop"));
  if (mode.usage && body.stream_options?.include_usage) {
    res.write(chunk(model, {}, "none", { usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: count, total_tokens: PROMPT_TOKENS + count } }));
  }
  res.end("data: [DONE]\n\n");
}

async function toolCall(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const tool = body.tools?.[0]?.function?.name;
  const answered = body.messages?.at(-1)?.role === "tool";
  const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: 8, total_tokens: PROMPT_TOKENS + 8, prompt_tokens_details: { cached_tokens: 4 } };
  const call = { id: "call_fake1", type: "function", function: { name: tool, arguments: '{"city":"Paris"}' } };
  if (!body.stream) {
    const message = tool && !answered ? { role: "assistant", content: null, reasoning_content: "I should call it.", tool_calls: [call] } : { role: "assistant", content: "It is sunny." };
    const json = { ...completion(model, "", 8, tool && !answered ? "tool_calls" : "stop"), usage };
    json.choices[0].message = message as never;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(json));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(chunk(model, { role: "assistant", content: "" }, null));
  res.write(chunk(model, { reasoning_content: "I should" }, null));
  res.write(chunk(model, { reasoning_content: " call it." }, null));
  if (tool && !answered) {
    res.write(chunk(model, { content: "Checking." }, null));
    res.write(chunk(model, { tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: tool, arguments: "" } }] }, null));
    res.write(chunk(model, { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null));
    res.write(chunk(model, { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null));
    res.write(chunk(model, {}, "tool_calls"));
  } else {
    res.write(chunk(model, { content: "It is sunny." }, null));
    res.write(chunk(model, {}, "stop"));
  }
  if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
  res.end("data: [DONE]\n\n");
}

const stats = { connections: 0, chatConnections: 0, closedEarly: 0 };
const chatSockets = new WeakSet<object>();

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (req.method === "GET" && req.url?.endsWith("/_fake/stats")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
    return;
  }
  if (!chatSockets.has(req.socket)) {
    chatSockets.add(req.socket);
    stats.chatConnections++;
  }
  res.on("close", () => {
    if (!res.writableFinished) stats.closedEarly++;
  });
  if (req.method === "GET" && req.url?.endsWith("/models")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [] }));
    return;
  }
  let body: Record<string, any>;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "bad json", type: "invalid_request_error" } }));
    return;
  }
  const model = String(body.model ?? "");
  const max = Number(body.max_completion_tokens ?? body.max_tokens ?? Infinity);

  switch (model) {
    case "tools":
      return toolCall(res, body);
    case "json": {
      const tokens = Math.min(Number(body.fake_chunks ?? 5), max);
      const json = completion(model, Array.from({ length: tokens }, () => " tok").join(""), tokens, tokens < Number(body.fake_chunks ?? 5) ? "length" : "stop");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(json));
      return;
    }
    case "echo-request": {
      const content = JSON.stringify({ body, headers: req.headers, url: req.url });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(model, content, 7, "stop")));
      return;
    }
    case "sse":
      return stream(res, body, { usage: true, honourMax: true });
    case "sse-no-usage":
      return stream(res, body, { usage: false, honourMax: true });
    case "sse-ignore-max":
      return stream(res, { ...body, stream_options: undefined }, { usage: false, honourMax: false });
    case "slow":
      await sleep(Number(body.fake_delay_ms ?? 5000));
      if (res.destroyed) return;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(model, "late", 1, "stop")));
      return;
    case "hang":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk(model, { role: "assistant", content: "" }, null));
      res.write(chunk(model, { content: " tok" }, null));
      return; // never ends
    case "reset":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk(model, { role: "assistant", content: "" }, null));
      res.write(chunk(model, { content: " tok tok tok" }, null));
      await sleep(30);
      req.socket.resetAndDestroy();
      return;
    case "garbage":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: {this is not json\n\n");
      await sleep(10);
      res.end("data: [DONE]\n\n");
      return;
    case "error-500":
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "boom", type: "server_error" } }));
      return;
    case "error-429":
      res.writeHead(429, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "slow down", type: "rate_limit" } }));
      return;
    case "error-400":
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "top_k must be positive", type: "invalid_request_error", param: "top_k" } }));
      return;
    case "big": {
      // Written in 64 KB pieces as the client reads them, so a client that gives up leaves
      // the rest unsent (and counted in closedEarly).
      const json = JSON.stringify(completion(model, "PADDING", 1, "stop"));
      const [head, tail] = json.split("PADDING");
      res.writeHead(200, { "content-type": "application/json" });
      res.write(head);
      const piece = "x".repeat(64 * 1024);
      for (let left = Math.max(0, Number(body.fake_bytes ?? 1_000_000)); left > 0; left -= piece.length) {
        if (res.destroyed) return;
        if (!res.write(left >= piece.length ? piece : piece.slice(0, left))) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
      }
      res.end(tail);
      return;
    }
    case "redirect":
      res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      return;
    default:
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `unknown fake model ${model}` } }));
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
});
server.on("connection", () => stats.connections++);
server.listen(Number(process.env.FAKE_UPSTREAM_PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/v1` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
