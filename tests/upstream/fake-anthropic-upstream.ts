/**
 * A fake Anthropic Messages API, run as its own process beside the fake OpenAI one (start
 * it with startFakeUpstream({ script: "anthropic" })). It behaves as api.anthropic.com does
 * for what the gateway relies on, in the shapes of @anthropic-ai/sdk's types:
 * - the key (`x-api-key`, or `Authorization: Bearer` as the SDK sends it since 1.x) must be
 *   FAKE_ANTHROPIC_API_KEY (default `sk-ant-fake`) and `anthropic-version` present, or it
 *   answers 401 / 400 in Anthropic's error envelope;
 * - a stream is message_start, ping, then per block content_block_start / _delta… / _stop,
 *   then message_delta (stop_reason, cumulative usage) and message_stop;
 * - usage counts input, output and, when the request carries cache_control, cache reads and
 *   writes (fixed numbers, so tests can check the metering).
 * Every request is recorded (method, url, headers, body): `GET /v1/_fake/requests` returns
 * them, newest last; FAKE_LOG_FILE also appends each as a JSON line.
 *
 * The answer is chosen by the model name it receives (the registered model's upstream_model):
 *   claude-text          "Hello from fake Claude" word by word; honours max_tokens; a thinking
 *                        block first when `thinking` is enabled
 *   claude-tool          calls the first tool given, input {"city":"Paris"} (as input_json_delta
 *                        pieces when streamed); answers text once the last turn has a tool_result
 *   claude-bash          offered a tool named Bash (or run_shell_command), calls it with {"command": "echo modelbridge-tool-ok"};
 *                        given its tool_result, answers "Done: <the result>"
 *   claude-ignore-max    a long text that ignores max_tokens (for cuts at a key's limit)
 *   claude-echo-request  text: JSON of the body, headers and url it received
 *   claude-truncated     streams a few text deltas, then ends without message_delta/message_stop
 *   claude-garbage       a stream whose second event is not JSON
 *   claude-error-500, claude-overloaded (529), claude-error-400
 */
import fs from "node:fs";
import http from "node:http";

const API_KEY = process.env.FAKE_ANTHROPIC_API_KEY ?? "sk-ant-fake";
const INPUT_TOKENS = 11;
const CACHE_READ = 7;
const CACHE_WRITE = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Body = Record<string, any>;
type Block =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

const recorded: {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}[] = [];

function envelope(type: string, message: string) {
  return JSON.stringify({ type: "error", error: { type, message }, request_id: "req_fake" });
}

function usageOf(body: Body, output: number) {
  const cached = JSON.stringify(body).includes('"cache_control"');
  return {
    // fake_prompt_tokens: the prompt a real Claude would bill (documents, images, tools).
    input_tokens: Number(
      (body as { fake_prompt_tokens?: unknown }).fake_prompt_tokens ?? INPUT_TOKENS,
    ),
    output_tokens: output,
    cache_creation_input_tokens: cached ? CACHE_WRITE : 0,
    cache_read_input_tokens: cached ? CACHE_READ : 0,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    speed: null,
  };
}

/** The answer's blocks, as words (each word one output token). */
function answer(body: Body): { blocks: Block[]; stop: string; outputTokens: number } {
  const model = String(body.model);
  const max = Number(body.max_tokens ?? Infinity);
  const last = body.messages?.at(-1);
  const afterTool =
    Array.isArray(last?.content) &&
    last.content.some((b: { type?: string }) => b.type === "tool_result");
  if (model === "claude-tool" && body.tools?.length && !afterTool) {
    return {
      blocks: [
        {
          type: "tool_use",
          id: "toolu_fake1",
          name: String(body.tools[0].name),
          input: { city: "Paris" },
        },
      ],
      stop: "tool_use",
      outputTokens: 9,
    };
  }
  if (model === "claude-bash") {
    // Claude Code's shell tool is Bash; Gemini CLI's (translated) is run_shell_command.
    const offered = (body.tools ?? []).find(
      (tool: { name?: string }) => tool.name === "Bash" || tool.name === "run_shell_command",
    )?.name as string | undefined;
    if (offered && !afterTool) {
      return {
        blocks: [
          {
            type: "tool_use",
            id: "toolu_bash1",
            name: offered,
            input: { command: "echo modelbridge-tool-ok", description: "Print a marker" },
          },
        ],
        stop: "tool_use",
        outputTokens: 12,
      };
    }
    const result = last?.content?.find?.(
      (b: { type?: string }) => b.type === "tool_result",
    )?.content;
    const text =
      typeof result === "string"
        ? result
        : Array.isArray(result)
          ? result.map((b: { text?: string }) => b.text ?? "").join("")
          : "";
    return {
      blocks: [{ type: "text", text: `Done: ${text.trim()}` }],
      stop: "end_turn",
      outputTokens: 4,
    };
  }
  if (model === "claude-echo-request")
    return { blocks: [{ type: "text", text: "" }], stop: "end_turn", outputTokens: 7 };
  const words =
    model === "claude-ignore-max"
      ? Array.from({ length: Number(body.fake_words ?? 200) }, () => " tok")
      : ["Hello", " from", " fake", " Claude"];
  const blocks: Block[] = [];
  let budget = model === "claude-ignore-max" ? Infinity : max;
  if (body.thinking?.type === "enabled" || body.thinking?.type === "adaptive") {
    blocks.push({ type: "thinking", thinking: "Let me think.", signature: "sig_fake" });
    budget -= 3;
  }
  const taken = words.slice(0, Math.max(0, budget));
  blocks.push({ type: "text", text: taken.join("") });
  const thinkingTokens = blocks[0].type === "thinking" ? 3 : 0;
  return {
    blocks,
    stop: taken.length < words.length ? "max_tokens" : "end_turn",
    outputTokens: taken.length + thinkingTokens,
  };
}

function message(body: Body, blocks: Block[], stop: string | null, output: number) {
  return {
    id: "msg_fake01",
    type: "message",
    role: "assistant",
    model: String(body.model),
    content: blocks.map((b) =>
      b.type === "text"
        ? { ...b, citations: null }
        : b.type === "tool_use"
          ? { ...b, caller: { type: "direct" } }
          : b,
    ),
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_reason: stop,
    stop_sequence: null,
    usage: usageOf(body, output),
  };
}

async function stream(
  res: http.ServerResponse,
  body: Body,
  blocks: Block[],
  stop: string,
  outputTokens: number,
) {
  const interval = Number(body.fake_interval_ms ?? 5);
  const send = (event: Record<string, unknown>) =>
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "request-id": "req_fake",
  });
  send({ type: "message_start", message: message(body, [], null, 1) });
  send({ type: "ping" });
  for (const [index, block] of blocks.entries()) {
    if (res.destroyed) return;
    if (block.type === "text") {
      send({
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "", citations: null },
      });
      for (const word of block.text.match(/\s*\S+/g) ?? []) {
        if (res.destroyed) return;
        await sleep(interval);
        send({ type: "content_block_delta", index, delta: { type: "text_delta", text: word } });
      }
    } else if (block.type === "thinking") {
      send({
        type: "content_block_start",
        index,
        content_block: { type: "thinking", thinking: "", signature: "" },
      });
      send({
        type: "content_block_delta",
        index,
        delta: { type: "thinking_delta", thinking: block.thinking },
      });
      send({
        type: "content_block_delta",
        index,
        delta: { type: "signature_delta", signature: block.signature },
      });
    } else {
      send({
        type: "content_block_start",
        index,
        content_block: {
          type: "tool_use",
          id: block.id,
          name: block.name,
          input: {},
          caller: { type: "direct" },
        },
      });
      const json = JSON.stringify(block.input);
      for (const piece of ["", json.slice(0, 5), json.slice(5)]) {
        await sleep(interval);
        send({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: piece },
        });
      }
    }
    send({ type: "content_block_stop", index });
  }
  const usage = usageOf(body, outputTokens);
  send({
    type: "message_delta",
    delta: { stop_reason: stop, stop_sequence: null, container: null, stop_details: null },
    usage: {
      ...usage,
      cache_creation: undefined,
      inference_geo: undefined,
      service_tier: undefined,
      speed: undefined,
    },
  });
  send({ type: "message_stop" });
  res.end();
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = req.url ?? "";
  if (req.method === "GET" && url.endsWith("/_fake/requests")) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(recorded));
    return;
  }
  let body: Body | null = null;
  try {
    body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : null;
  } catch {
    // judged below
  }
  const entry = { method: req.method ?? "", url, headers: req.headers, body };
  recorded.push(entry);
  if (recorded.length > 500) recorded.shift();
  if (process.env.FAKE_LOG_FILE)
    fs.appendFileSync(process.env.FAKE_LOG_FILE, `${JSON.stringify(entry)}\n`);

  const json = (status: number, payload: string) =>
    res
      .writeHead(status, { "content-type": "application/json", "request-id": "req_fake" })
      .end(payload);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if ((req.headers["x-api-key"] ?? bearer) !== API_KEY)
    return json(401, envelope("authentication_error", "invalid x-api-key"));
  if (!req.headers["anthropic-version"])
    return json(400, envelope("invalid_request_error", "anthropic-version: header is required"));
  const path = url.split("?")[0];
  if (req.method === "GET" && path.endsWith("/v1/models")) {
    return json(
      200,
      JSON.stringify({
        data: [
          {
            type: "model",
            id: "claude-text",
            display_name: "Fake Claude",
            created_at: "2026-01-01T00:00:00Z",
          },
        ],
        has_more: false,
        first_id: "claude-text",
        last_id: "claude-text",
      }),
    );
  }
  if (!body || typeof body !== "object")
    return json(400, envelope("invalid_request_error", "body is not JSON"));
  if (path.endsWith("/v1/messages/count_tokens"))
    return json(
      200,
      JSON.stringify({ input_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4) }),
    );
  if (!path.endsWith("/v1/messages"))
    return json(404, envelope("not_found_error", `no route ${path}`));
  if (typeof body.max_tokens !== "number")
    return json(400, envelope("invalid_request_error", "max_tokens: Field required"));

  switch (body.model) {
    case "claude-error-500":
      return json(500, envelope("api_error", "Internal server error"));
    case "claude-overloaded":
      return json(529, envelope("overloaded_error", "Overloaded"));
    case "claude-error-400":
      return json(400, envelope("invalid_request_error", "messages.0: bad block"));
    case "claude-truncated":
    case "claude-garbage": {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: message(body, [], null, 1) })}\n\n`,
      );
      if (body.model === "claude-garbage")
        return res.end("event: content_block_start\ndata: {not json\n\n");
      res.write(
        `event: content_block_start\ndata: ${JSON.stringify({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })}\n\n`,
      );
      for (const word of ["one", " two", " three"])
        res.write(
          `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: word } })}\n\n`,
        );
      await sleep(20);
      return res.end();
    }
    case "claude-text":
    case "claude-tool":
    case "claude-bash":
    case "claude-ignore-max":
    case "claude-echo-request":
      break;
    default:
      return json(404, envelope("not_found_error", `model: ${String(body.model)}`));
  }
  const { blocks, stop, outputTokens } = answer(body);
  if (body.model === "claude-echo-request")
    (blocks[0] as { text: string }).text = JSON.stringify({ body, headers: req.headers, url });
  if (body.stream) return stream(res, body, blocks, stop, outputTokens);
  return json(200, JSON.stringify(message(body, blocks, stop, outputTokens)));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
});
server.listen(Number(process.env.FAKE_UPSTREAM_PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  // Anthropic's base URL has no /v1: the client appends /v1/messages.
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
