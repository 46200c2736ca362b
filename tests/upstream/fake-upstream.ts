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
 *   bash-tool       Claude Code's way to run a command: offered a tool named Bash (or Gemini
 *                   CLI's run_shell_command), it calls it
 *                   with {"command": "echo modelbridge-tool-ok"} (streamed, arguments in pieces);
 *                   given the tool result, it answers "Done: <the result>"
 *   weather-tool    calls the first tool given with {"city":"Paris"} after some reasoning_content
 *                   (streamed: reasoning, text, then the call's arguments in pieces), with
 *                   cached tokens in usage; answers text once the last message is a tool result
 *   slow            waits `fake_delay_ms` (default 5000) before answering
 *   hang            streams two chunks, then never sends another byte
 *   reset           streams two chunks, then resets the connection
 *   garbage         a stream whose events are not JSON
 *   big             a chat.completion padded to about `fake_bytes` bytes
 *   reasoning       like OpenAI's reasoning models: 400 for any `max_tokens` (even null),
 *                   honours `max_completion_tokens`; answers as `json`, or as `sse` when streamed
 *   error-500, error-429, error-400, redirect
 *   leaky-<status>  that status with a message quoting what an upstream should never show:
 *                   the Authorization header it got, an internal URL, a file path, a token
 *   tools           an agent's model: offered tools and no tool result yet, it calls the first
 *                   tool (a shell command, `{"cmd": "echo modelbridge-tool-ok"}` or
 *                   `{"command": [...]}` by the tool's parameters); given a tool result, it
 *                   answers "Done: <the result>". Stream and non-stream, with usage.
 *   reasoning-content  streams or answers vLLM-style `reasoning_content`, then the answer
 *
 * fault:<case>:<tag>  scripted faults, recorded per model (fake-faults.ts; `GET /v1/_fake/seen`)
 *
 * Other paths: `/embeddings` (any model: `dimensions` floats per input, or base64; usage
 * counts words, or token-array lengths), `/completions` (models json and sse, as
 * text_completion), `/responses` (a native Responses server: stream and non-stream).
 * `GET /v1/_fake/requests`: the last 50 requests received (url, headers, body), newest last.
 *
 * Body knobs: fake_prompt_tokens (the prompt tokens every usage reports, default 11), fake_chunks (default 5), fake_interval_ms (default 20), fake_delay_ms, fake_bytes,
 * fake_piece (the text of each streamed delta, `{i}` replaced by its index; default " tok"),
 * fake_tokens_per_delta (how many of this "model's" tokens each delta is, default 1: it
 * stops at max_tokens and reports usage in those units, whatever gpt-tokenizer would count).
 * `GET /v1/_fake/stats`: TCP connections accepted (all, and those that carried model
 * requests), model requests received, and responses whose client went away
 * before they ended (to check that the gateway reuses connections and aborts upstreams).
 * Port: FAKE_UPSTREAM_PORT or a free one; prints {"url": "http://127.0.0.1:<port>/v1"}.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { closedEarlyByModel, playFault, seenByModel } from "./fake-faults";

const PROMPT_TOKENS = 11;

/**
 * `fake_prompt_tokens`: the prompt this "model" bills, as a real provider counts it (every
 * schema, tool, document and image). Each usage object the answer carries (chat's
 * prompt_tokens, Responses' input_tokens) reports that many instead of the fixed 11.
 */
function billPrompt(res: http.ServerResponse, tokens: number) {
  const rewrite = (data: unknown) =>
    typeof data === "string"
      ? data
          .replace(
            /"prompt_tokens":11,"completion_tokens":(\d+),"total_tokens":\d+/g,
            (_, out) =>
              `"prompt_tokens":${tokens},"completion_tokens":${out},"total_tokens":${tokens + Number(out)}`,
          )
          .replace(/"input_tokens":11,/g, `"input_tokens":${tokens},`)
      : data;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.write = ((data: unknown, ...rest: unknown[]) =>
    write(rewrite(data), ...rest)) as typeof res.write;
  res.end = ((data: unknown, ...rest: unknown[]) => end(rewrite(data), ...rest)) as typeof res.end;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function completion(model: string, content: string, completionTokens: number, finish: string) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage: {
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: completionTokens,
      total_tokens: PROMPT_TOKENS + completionTokens,
    },
  };
}

function chunk(
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
  extra: Record<string, unknown> = {},
) {
  const choices =
    finish === "none" ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: "chatcmpl-fake", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices, ...extra })}\n\n`;
}

async function stream(
  res: http.ServerResponse,
  body: Record<string, any>,
  mode: { usage: boolean; honourMax: boolean },
) {
  const model = String(body.model);
  const wanted = Number(body.fake_chunks ?? 5);
  const max = Number(body.max_completion_tokens ?? body.max_tokens ?? Infinity);
  const perDelta = Math.max(1, Number(body.fake_tokens_per_delta ?? 1));
  const piece = String(body.fake_piece ?? " tok");
  const count = mode.honourMax ? Math.min(wanted, Math.floor(max / perDelta)) : wanted;
  const interval = Number(body.fake_interval_ms ?? 20);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(chunk(model, { role: "assistant", content: "" }, null));
  for (let i = 0; i < count; i++) {
    if (res.destroyed) return;
    await sleep(interval);
    res.write(chunk(model, { content: piece.replaceAll("{i}", String(i)) }, null));
  }
  res.write(chunk(model, {}, count < wanted ? "length" : "stop"));
  if (mode.usage && body.stream_options?.include_usage) {
    const tokens = count * perDelta;
    res.write(
      chunk(model, {}, "none", {
        usage: {
          prompt_tokens: PROMPT_TOKENS,
          completion_tokens: tokens,
          total_tokens: PROMPT_TOKENS + tokens,
        },
      }),
    );
  }
  res.end("data: [DONE]\n\n");
}

function answerJson(
  res: http.ServerResponse,
  body: Record<string, any>,
  model: string,
  max: number,
) {
  const tokens = Math.min(Number(body.fake_chunks ?? 5), max);
  const json = completion(
    model,
    Array.from({ length: tokens }, () => " tok").join(""),
    tokens,
    tokens < Number(body.fake_chunks ?? 5) ? "length" : "stop",
  );
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(json));
}

async function bashToolCall(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const last = body.messages?.at(-1);
  // Claude Code's shell tool is Bash; Gemini CLI's is run_shell_command.
  const shellTool = (body.tools ?? []).find(
    (tool: { function?: { name?: string } }) =>
      tool.function?.name === "Bash" || tool.function?.name === "run_shell_command",
  )?.function?.name as string | undefined;
  const hasBash = Boolean(shellTool);
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: 6,
    total_tokens: PROMPT_TOKENS + 6,
  };
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(chunk(model, { role: "assistant", content: "" }, null));
  if (last?.role === "tool") {
    const result = typeof last.content === "string" ? last.content : JSON.stringify(last.content);
    res.write(chunk(model, { content: `Done: ${result.trim()}` }, null));
    res.write(chunk(model, {}, "stop"));
  } else if (hasBash) {
    const args = JSON.stringify({
      command: "echo modelbridge-tool-ok",
      description: "Print a marker",
    });
    res.write(
      chunk(
        model,
        {
          tool_calls: [
            {
              index: 0,
              id: "call_bash1",
              type: "function",
              function: { name: shellTool, arguments: "" },
            },
          ],
        },
        null,
      ),
    );
    res.write(
      chunk(
        model,
        { tool_calls: [{ index: 0, function: { arguments: args.slice(0, 12) } }] },
        null,
      ),
    );
    res.write(
      chunk(model, { tool_calls: [{ index: 0, function: { arguments: args.slice(12) } }] }, null),
    );
    res.write(chunk(model, {}, "tool_calls"));
  } else {
    res.write(chunk(model, { content: "No Bash tool was offered." }, null));
    res.write(chunk(model, {}, "stop"));
  }
  if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
  res.end("data: [DONE]\n\n");
}

async function weatherToolCall(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const tool = body.tools?.[0]?.function?.name;
  const answered = body.messages?.at(-1)?.role === "tool";
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: 8,
    total_tokens: PROMPT_TOKENS + 8,
    prompt_tokens_details: { cached_tokens: 4 },
  };
  const call = {
    id: "call_fake1",
    type: "function",
    function: { name: tool, arguments: '{"city":"Paris"}' },
  };
  if (!body.stream) {
    const message =
      tool && !answered
        ? {
            role: "assistant",
            content: null,
            reasoning_content: "I should call it.",
            tool_calls: [call],
          }
        : { role: "assistant", content: "It is sunny." };
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
    res.write(
      chunk(
        model,
        {
          tool_calls: [
            { index: 0, id: call.id, type: "function", function: { name: tool, arguments: "" } },
          ],
        },
        null,
      ),
    );
    res.write(
      chunk(model, { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null),
    );
    res.write(
      chunk(model, { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null),
    );
    res.write(chunk(model, {}, "tool_calls"));
  } else {
    res.write(chunk(model, { content: "It is sunny." }, null));
    res.write(chunk(model, {}, "stop"));
  }
  if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
  res.end("data: [DONE]\n\n");
}

const stats = { connections: 0, chatConnections: 0, closedEarly: 0, requests: 0 };
const received: { url: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];
const chatSockets = new WeakSet<object>();

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (req.method === "GET" && req.url?.endsWith("/_fake/requests")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
    return;
  }
  if (req.method === "GET" && req.url?.endsWith("/_fake/seen")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(seenByModel()));
    return;
  }
  if (req.method === "GET" && req.url?.endsWith("/_fake/closed")) {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(closedEarlyByModel()));
    return;
  }
  if (req.method === "GET" && req.url?.endsWith("/_fake/stats")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
    return;
  }
  stats.requests++;
  if (!chatSockets.has(req.socket)) {
    chatSockets.add(req.socket);
    stats.chatConnections++;
  }
  res.on("close", () => {
    if (!res.writableFinished) stats.closedEarly++;
  });
  if (req.method === "GET" && req.url?.endsWith("/models")) {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ object: "list", data: [] }));
    return;
  }
  let body: Record<string, any>;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    res
      .writeHead(400, { "content-type": "application/json" })
      .end(JSON.stringify({ error: { message: "bad json", type: "invalid_request_error" } }));
    return;
  }
  received.push({ url: req.url ?? "", headers: req.headers, body });
  if (received.length > 50) received.shift();
  if (body.fake_prompt_tokens !== undefined) billPrompt(res, Number(body.fake_prompt_tokens));
  const model = String(body.model ?? "");
  const max = Number(body.max_completion_tokens ?? body.max_tokens ?? Infinity);
  const path = (req.url ?? "").split("?")[0];
  if (path.endsWith("/embeddings")) return embeddings(res, body);
  if (path.endsWith("/responses")) return nativeResponses(res, body);
  if (path.endsWith("/completions") && !path.endsWith("/chat/completions"))
    return completions(res, body);

  if (model.startsWith("fault:")) {
    const answered = await playFault(req, res, body, async (streamed) => {
      if (streamed) await stream(res, body, { usage: true, honourMax: true });
      else answerJson(res, body, model, max);
    });
    if (answered) return;
    if (body.stream) return stream(res, body, { usage: true, honourMax: true });
    return answerJson(res, body, model, max);
  }
  if (model.startsWith("leaky-")) {
    const status = Number(model.slice("leaky-".length));
    res.writeHead(status, { "content-type": "application/json" }).end(
      JSON.stringify({
        error: {
          message: `bad request with Authorization: ${String(req.headers.authorization)}; see http://admin:hunter2@10.0.3.7:8443/internal/debug?token=abc123 (raised in /srv/models/app/handlers.py:42, api_key=sk-live-abcdef1234567890)`,
          type: "invalid_request_error",
        },
      }),
    );
    return;
  }

  switch (model) {
    case "weather-tool":
      return weatherToolCall(res, body);
    case "bash-tool":
      return bashToolCall(res, body);
    case "reasoning":
      if ("max_tokens" in body) {
        res.writeHead(400, { "content-type": "application/json" }).end(
          JSON.stringify({
            error: {
              message:
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
              type: "invalid_request_error",
              param: "max_tokens",
              code: "unsupported_parameter",
            },
          }),
        );
        return;
      }
      if (body.stream) return stream(res, body, { usage: true, honourMax: true });
    // falls through: answered as `json`
    case "json": {
      const tokens = Math.min(Number(body.fake_chunks ?? 5), max);
      const json = completion(
        model,
        Array.from({ length: tokens }, () => " tok").join(""),
        tokens,
        tokens < Number(body.fake_chunks ?? 5) ? "length" : "stop",
      );
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(json));
      return;
    }
    case "echo-request": {
      const content = JSON.stringify({ body, headers: req.headers, url: req.url });
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(completion(model, content, 7, "stop")));
      return;
    }
    case "sse":
      return stream(res, body, { usage: true, honourMax: true });
    case "sse-no-usage":
      return stream(res, body, { usage: false, honourMax: true });
    case "sse-ignore-max":
      return stream(
        res,
        { ...body, stream_options: undefined },
        { usage: false, honourMax: false },
      );
    case "slow":
      await sleep(Number(body.fake_delay_ms ?? 5000));
      if (res.destroyed) return;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(completion(model, "late", 1, "stop")));
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
      res
        .writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "boom", type: "server_error" } }));
      return;
    case "error-429":
      res
        .writeHead(429, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "slow down", type: "rate_limit" } }));
      return;
    case "error-400":
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: {
            message: "top_k must be positive",
            type: "invalid_request_error",
            param: "top_k",
          },
        }),
      );
      return;
    case "big": {
      // Written in 64 KB pieces as the client reads them, so a client that gives up leaves
      // the rest unsent (and counted in closedEarly).
      const json = JSON.stringify(completion(model, "PADDING", 1, "stop"));
      const [head, tail] = json.split("PADDING");
      res.writeHead(200, { "content-type": "application/json" });
      res.write(head);
      const piece = "x".repeat(64 * 1024);
      for (
        let left = Math.max(0, Number(body.fake_bytes ?? 1_000_000));
        left > 0;
        left -= piece.length
      ) {
        if (res.destroyed) return;
        if (!res.write(left >= piece.length ? piece : piece.slice(0, left)))
          await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
      }
      res.end(tail);
      return;
    }
    case "tools":
      return agent(res, body);
    case "reasoning-content":
      return reasoningContent(res, body);
    case "redirect":
      res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      return;
    default:
      res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: `unknown fake model ${model}` } }));
  }
}

/** Chat: call the first offered tool, or, given its result, finish. */
async function agent(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const messages = (body.messages ?? []) as { role: string; content?: unknown }[];
  const result = [...messages].reverse().find((m) => m.role === "tool");
  const tool = (body.tools ?? [])[0]?.function as
    { name: string; parameters?: { properties?: Record<string, unknown> } } | undefined;
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: 6,
    total_tokens: PROMPT_TOKENS + 6,
  };
  if (result || !tool) {
    const text = result
      ? `Done: ${String(
          typeof result.content === "string" ? result.content : JSON.stringify(result.content),
        )
          .trim()
          .slice(0, 200)}`
      : "No tools offered.";
    if (!body.stream) {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ...completion(model, text, 6, "stop"), usage }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(chunk(model, { role: "assistant", content: "" }, null));
    for (const piece of text.match(/\s*\S+/g) ?? [])
      res.write(chunk(model, { content: piece }, null));
    res.write(chunk(model, {}, "stop"));
    if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
    res.end("data: [DONE]\n\n");
    return;
  }
  const properties = tool.parameters?.properties ?? {};
  const args = JSON.stringify(
    "command" in properties && !("cmd" in properties)
      ? { command: ["echo", "modelbridge-tool-ok"] }
      : { cmd: "echo modelbridge-tool-ok" },
  );
  const call = {
    id: "call_fake_1",
    type: "function",
    function: { name: tool.name, arguments: args },
  };
  if (!body.stream) {
    const json = completion(model, "", 6, "tool_calls");
    json.choices[0].message = {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [call],
    } as never;
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ ...json, usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(
    chunk(
      model,
      {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, ...call, function: { name: tool.name, arguments: "" } }],
      },
      null,
    ),
  );
  // The arguments in pieces, as real servers stream them.
  for (const piece of [args.slice(0, 5), args.slice(5)])
    res.write(chunk(model, { tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
  res.write(chunk(model, {}, "tool_calls"));
  if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
  res.end("data: [DONE]\n\n");
}

async function reasoningContent(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: 4,
    total_tokens: PROMPT_TOKENS + 4,
    completion_tokens_details: { reasoning_tokens: 2 },
  };
  if (!body.stream) {
    const json = completion(model, "42", 4, "stop");
    (json.choices[0].message as Record<string, unknown>).reasoning_content = "Six times seven.";
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ ...json, usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(chunk(model, { role: "assistant", reasoning_content: "Six times" }, null));
  res.write(chunk(model, { reasoning_content: " seven." }, null));
  res.write(chunk(model, { content: "42" }, null));
  res.write(chunk(model, {}, "stop"));
  if (body.stream_options?.include_usage) res.write(chunk(model, {}, "none", { usage }));
  res.end("data: [DONE]\n\n");
}

function embeddings(res: http.ServerResponse, body: Record<string, any>) {
  const input = body.input;
  const inputs: unknown[] =
    typeof input === "string"
      ? [input]
      : Array.isArray(input) && typeof input[0] === "number"
        ? [input]
        : (input ?? []);
  const dimensions = Number(body.dimensions ?? 8);
  let promptTokens = 0;
  const data = inputs.map((item, index) => {
    promptTokens +=
      typeof item === "string"
        ? item.split(/\s+/).filter(Boolean).length
        : (item as number[]).length;
    const vector = Array.from(
      { length: dimensions },
      (_, i) => Math.round(Math.sin(index + i + 1) * 1000) / 1000,
    );
    const embedding =
      body.encoding_format === "base64"
        ? Buffer.from(new Float32Array(vector).buffer).toString("base64")
        : vector;
    return { object: "embedding", index, embedding };
  });
  res.writeHead(200, { "content-type": "application/json" }).end(
    JSON.stringify({
      object: "list",
      data,
      model: body.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    }),
  );
}

async function completions(res: http.ServerResponse, body: Record<string, any>) {
  const model = String(body.model);
  const wanted = Number(body.fake_chunks ?? 5);
  const max = Number(body.max_tokens ?? 16);
  const count = Math.min(wanted, max);
  const finish = count < wanted ? "length" : "stop";
  const usage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: count,
    total_tokens: PROMPT_TOKENS + count,
  };
  const base = {
    id: "cmpl-fake",
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model,
  };
  if (!body.stream) {
    const text = Array.from({ length: count }, () => " tok").join("");
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (let i = 0; i < count; i++) {
    if (res.destroyed) return;
    await sleep(Number(body.fake_interval_ms ?? 10));
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, text: " tok", logprobs: null, finish_reason: null }] })}\n\n`,
    );
  }
  res.write(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, text: "", logprobs: null, finish_reason: finish }] })}\n\n`,
  );
  if (model !== "sse-no-usage" && body.stream_options?.include_usage)
    res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  res.end("data: [DONE]\n\n");
}

/** A Responses API server of its own (as OpenAI or recent vLLM are): one message "native ok". */
async function nativeResponses(res: http.ServerResponse, body: Record<string, any>) {
  if (body.fake_delay_ms) await sleep(Number(body.fake_delay_ms));
  const usage = {
    input_tokens: PROMPT_TOKENS,
    input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
    output_tokens: 2,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: PROMPT_TOKENS + 2,
  };
  // Fresh ids per answer, like a real store (the gateway ties each to the key's owner).
  const suffix = randomUUID().replaceAll("-", "");
  const message = {
    id: `msg_${suffix}`,
    type: "message",
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text: "native ok", annotations: [], logprobs: [] }],
  };
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: `resp_${suffix}`,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model: body.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: body.previous_response_id ?? null,
    store: body.store ?? true,
    temperature: 1,
    top_p: 1,
    tool_choice: "auto",
    tools: [],
    metadata: {},
    max_output_tokens: body.max_output_tokens ?? null,
    ...(withUsage ? { usage } : {}),
  });
  if (!body.stream) {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(response("completed", [message], true)));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  let sequence = 0;
  const send = (type: string, fields: Record<string, unknown>) =>
    res.write(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`,
    );
  send("response.created", { response: response("in_progress", [], false) });
  send("response.output_item.added", {
    output_index: 0,
    item: { ...message, status: "in_progress", content: [] },
  });
  send("response.output_text.delta", {
    item_id: message.id,
    output_index: 0,
    content_index: 0,
    delta: "native ok",
    logprobs: [],
  });
  send("response.output_item.done", { output_index: 0, item: message });
  send("response.completed", { response: response("completed", [message], true) });
  res.end();
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
