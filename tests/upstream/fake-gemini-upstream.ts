/**
 * A fake Gemini API (generativelanguage.googleapis.com), run as its own process beside the
 * other fakes (startFakeUpstream({ script: "gemini" })). What it writes is typed with
 * `@google/genai`'s own types (lib/gateway/translate/gemini/gemini-types.ts), and its test
 * drives it with that SDK, so it is the real API's shape for what the gateway relies on:
 * - the key must come as `x-goog-api-key` (or `?key=`) and be FAKE_GEMINI_API_KEY (default
 *   `fake-gemini-key`), or it answers 400 API_KEY_INVALID in Google's envelope;
 * - `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse` (each
 *   chunk a whole GenerateContentResponse, usage on the last), `:countTokens`,
 *   `:embedContent`, `:batchEmbedContents`; `GET /v1beta/models`;
 * - usage: prompt 11 tokens of which 4 cached, thoughts 3 when thinking is asked for.
 * Every request is recorded: `GET /_fake/requests` returns them, newest last.
 *
 * The answer is chosen by the model in the path (the registered model's upstream_model):
 *   gemini-text          "Hello from fake Gemini" word by word (a thought part first when
 *                        includeThoughts); honours maxOutputTokens (one word a token)
 *   gemini-tool          calls the first declared function with {"city":"Paris"}; once the
 *                        last turn holds a functionResponse, answers "Done: <its response>"
 *   gemini-echo-request  text: JSON of the body and url it received
 *   gemini-error-500, gemini-error-429
 */
import http from "node:http";
import type {
  GeminiErrorBody,
  GeminiPart,
  GeminiRequest,
  GeminiResponse,
  GeminiUsage,
} from "../../lib/gateway/translate/gemini/gemini-types";

const API_KEY = process.env.FAKE_GEMINI_API_KEY ?? "fake-gemini-key";
const PROMPT_TOKENS = 11;
const CACHED_TOKENS = 4;
const THOUGHT_TOKENS = 3;

const recorded: {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}[] = [];

function googleError(code: number, status: string, message: string, reason?: string): string {
  const body: GeminiErrorBody = {
    error: {
      code,
      message,
      status,
      ...(reason
        ? {
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason,
                domain: "googleapis.com",
              },
            ],
          }
        : {}),
    },
  };
  return JSON.stringify(body);
}

function answerParts(
  model: string,
  request: GeminiRequest,
): { parts: GeminiPart[]; finish: "STOP" | "MAX_TOKENS"; output: number; thoughts: number } {
  const last = request.contents.at(-1);
  const response = last?.parts?.find((part) => part.functionResponse)?.functionResponse;
  const declared = request.tools?.flatMap((tool) => tool.functionDeclarations ?? [])[0];
  if (model === "gemini-tool" && response)
    return {
      parts: [{ text: `Done: ${JSON.stringify(response.response ?? {})}` }],
      finish: "STOP",
      output: 4,
      thoughts: 0,
    };
  if (model === "gemini-tool" && declared)
    return {
      parts: [
        {
          functionCall: { name: declared.name, args: { city: "Paris" } },
          thoughtSignature: "ZmFrZS1zaWduYXR1cmU=",
        },
      ],
      finish: "STOP",
      output: 5,
      thoughts: 0,
    };
  if (model === "gemini-echo-request")
    return {
      parts: [{ text: JSON.stringify({ body: request }) }],
      finish: "STOP",
      output: 1,
      thoughts: 0,
    };
  const words = ["Hello", " from", " fake", " Gemini"];
  const max = request.generationConfig?.maxOutputTokens ?? Infinity;
  const kept = words.slice(0, Math.max(0, Math.min(words.length, max)));
  const thinking = request.generationConfig?.thinkingConfig;
  const thinks = Boolean(thinking && thinking.thinkingBudget !== 0);
  const parts: GeminiPart[] = kept.map((text) => ({ text }));
  if (thinks && thinking?.includeThoughts)
    parts.unshift({ text: "Thinking it over.", thought: true });
  return {
    parts,
    finish: kept.length < words.length ? "MAX_TOKENS" : "STOP",
    output: kept.length,
    thoughts: thinks ? THOUGHT_TOKENS : 0,
  };
}

function usage(output: number, thoughts: number): GeminiUsage {
  return {
    promptTokenCount: PROMPT_TOKENS,
    cachedContentTokenCount: CACHED_TOKENS,
    candidatesTokenCount: output,
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
    totalTokenCount: PROMPT_TOKENS + output + thoughts,
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  const url = new URL(req.url ?? "/", "http://fake");
  if (url.pathname === "/_fake/requests") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(recorded));
    return;
  }
  recorded.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
  if (recorded.length > 50) recorded.shift();
  const json = (status: number, payload: string) => {
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
    res.end(payload);
  };

  const key = req.headers["x-goog-api-key"] ?? url.searchParams.get("key");
  if (key !== API_KEY)
    return json(
      400,
      googleError(
        400,
        "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
        "API_KEY_INVALID",
      ),
    );

  const match = /^\/v1(?:beta|alpha)?\/models(?:\/([^/:]+)(?::(\w+))?)?$/.exec(url.pathname);
  if (!match) return json(404, googleError(404, "NOT_FOUND", `no route ${url.pathname}`));
  const [, model, method] = match;
  if (req.method === "GET") {
    const entry = (name: string) => ({
      name: `models/${name}`,
      displayName: name,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ["generateContent", "countTokens"],
    });
    return json(200, JSON.stringify(model ? entry(model) : { models: [entry("gemini-text")] }));
  }
  const request = (body ?? {}) as GeminiRequest & { requests?: GeminiRequest[]; content?: unknown };
  switch (method) {
    case "countTokens":
      return json(200, JSON.stringify({ totalTokens: Math.ceil(text.length / 4) }));
    case "embedContent":
      return json(200, JSON.stringify({ embedding: { values: [0.1, 0.2, 0.3] } }));
    case "batchEmbedContents":
      return json(
        200,
        JSON.stringify({
          embeddings: (request.requests ?? []).map((_, i) => ({ values: [i, 0.5, 0.25] })),
        }),
      );
    case "generateContent":
    case "streamGenerateContent":
      break;
    default:
      return json(404, googleError(404, "NOT_FOUND", `no method ${method}`));
  }
  if (!Array.isArray(request.contents))
    return json(400, googleError(400, "INVALID_ARGUMENT", "contents is required"));
  if (model === "gemini-error-500")
    return json(500, googleError(500, "INTERNAL", "An internal error has occurred."));
  if (model === "gemini-error-429")
    return json(429, googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded."));
  if (!["gemini-text", "gemini-tool", "gemini-echo-request"].includes(model ?? ""))
    return json(404, googleError(404, "NOT_FOUND", `models/${model} is not found`));

  const { parts, finish, output, thoughts } = answerParts(model!, request);
  if (model === "gemini-echo-request")
    parts[0] = { text: JSON.stringify({ body: request, url: req.url, headers: req.headers }) };
  const whole: GeminiResponse = {
    candidates: [{ content: { role: "model", parts }, finishReason: finish, index: 0 }],
    usageMetadata: usage(output, thoughts),
    modelVersion: model,
    responseId: "fake-response",
  };
  if (method === "generateContent") return json(200, JSON.stringify(whole));
  if (url.searchParams.get("alt") !== "sse")
    return json(400, googleError(400, "INVALID_ARGUMENT", "this fake streams only alt=sse"));
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const [i, part] of parts.entries()) {
    const chunk: GeminiResponse = {
      candidates: [{ content: { role: "model", parts: [part] }, index: 0 }],
      modelVersion: model,
      responseId: "fake-response",
    };
    if (i === parts.length - 1) {
      chunk.candidates![0].finishReason = finish;
      chunk.usageMetadata = usage(output, thoughts);
    }
    res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  res.end();
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
  // Google's base URL has no version: the client appends /v1beta/models/….
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
