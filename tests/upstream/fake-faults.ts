/**
 * Faults of the fake upstream (fake-upstream.ts), chosen per request by the model name
 * `fault:<case>:<tag>` (the tag keeps one test's state apart from another's; the same
 * `<case>:<tag>` on two deployments shares it). Every request of such a model is recorded
 * (`GET /v1/_fake/seen`: model → arrival times in ms), so tests check what the upstream saw:
 * how many attempts, how far apart; `GET /v1/_fake/closed`: model → answers the gateway cut
 * off by closing the connection before they were finished. A case that lets the request through answers like
 * `json` or `sse` (by `stream`), under the upstream's own model id.
 *
 *   429-retry-after   429 with `retry-after: <fake_retry_after_s, default 2>` on every request
 *   429               429 without Retry-After on every request
 *   500-once          500 on the first request of the tag, then answers
 *   503               503 on every request
 *   401               401 (a refused credential) on every request
 *   reset             the connection reset before any header
 *   no-answer         the request read, then nothing ever (headers never come)
 *   slow-first-token  headers and a role-only delta at once, content after fake_delay_ms
 *   cut               fake_cut_after (default 3) content deltas, then the body ends: no finish, no [DONE]
 *   stall             fake_cut_after content deltas, then silence with the connection open
 *   malformed         a stream with one malformed event among good ones
 *   no-done           a complete stream (finish_reason, usage) that ends without [DONE]
 *   context-length    400 context_length_exceeded
 *   content-filter    400 content_filter
 *   down-for-<ms>     503 from the tag's first request until <ms> later, then answers
 *   role-then-reset   a role-only delta, then the connection reset (before any content)
 */
import type http from "node:http";

const seen = new Map<string, number[]>();
const firstSeen = new Map<string, number>();
const closedEarly = new Map<string, number>();

export function seenByModel(): Record<string, number[]> {
  return Object.fromEntries(seen);
}

/** Per model: answers whose connection the gateway closed before they were finished. */
export function closedEarlyByModel(): Record<string, number> {
  return Object.fromEntries(closedEarly);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const json = (res: http.ServerResponse, status: number, body: unknown, headers = {}) =>
  res
    .writeHead(status, { "content-type": "application/json", ...headers })
    .end(JSON.stringify(body));

/**
 * Plays the fault of a `fault:` model. Returns true when it answered (or never will);
 * false when the request should be answered normally.
 */
export async function playFault(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Record<string, any>,
  answer: (stream: boolean) => Promise<void>,
): Promise<boolean> {
  const model = String(body.model);
  const [, fault = ""] = model.split(":");
  const now = Date.now();
  const times = seen.get(model) ?? [];
  times.push(now);
  seen.set(model, times);
  if (!firstSeen.has(model)) firstSeen.set(model, now);
  res.on("close", () => {
    if (!res.writableFinished) closedEarly.set(model, (closedEarly.get(model) ?? 0) + 1);
  });
  const stream = body.stream === true;
  const sse = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: "chatcmpl-fault",
    object: "chat.completion.chunk",
    created: Math.floor(now / 1000),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const usage = (completion: number) => ({
    id: "chatcmpl-fault",
    object: "chat.completion.chunk",
    created: Math.floor(now / 1000),
    model,
    choices: [],
    usage: { prompt_tokens: 11, completion_tokens: completion, total_tokens: 11 + completion },
  });

  switch (true) {
    case fault === "429-retry-after":
      json(
        res,
        429,
        { error: { message: "slow down", type: "rate_limit" } },
        {
          "retry-after": String(body.fake_retry_after_s ?? 2),
        },
      );
      return true;
    case fault === "429":
      json(res, 429, { error: { message: "slow down", type: "rate_limit" } });
      return true;
    case fault === "500-once":
      if (times.length > 1) return false;
      json(res, 500, { error: { message: "boom", type: "server_error" } });
      return true;
    case fault === "503":
      json(res, 503, { error: { message: "overloaded", type: "server_error" } });
      return true;
    case fault === "401":
      json(res, 401, { error: { message: "bad key", type: "invalid_request_error" } });
      return true;
    case fault === "reset":
      req.socket.resetAndDestroy();
      return true;
    case fault === "no-answer":
      return true;
    case fault === "context-length":
      json(res, 400, {
        error: {
          message: "This model's maximum context length is 8 tokens.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      });
      return true;
    case fault === "content-filter":
      json(res, 400, {
        error: {
          message: "The response was filtered due to the prompt triggering the content policy.",
          type: "invalid_request_error",
          param: "prompt",
          code: "content_filter",
        },
      });
      return true;
    case fault.startsWith("down-for-"): {
      const downMs = Number(fault.slice("down-for-".length));
      if (now - firstSeen.get(model)! >= downMs) return false;
      json(res, 503, { error: { message: "down", type: "server_error" } });
      return true;
    }
    case fault === "role-then-reset":
      res.writeHead(200, { "content-type": "text/event-stream" });
      sse(chunk({ role: "assistant", content: "" }));
      await sleep(30);
      req.socket.resetAndDestroy();
      return true;
    case fault === "slow-first-token":
      if (!stream) {
        await sleep(Number(body.fake_delay_ms ?? 3000));
        return false;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      sse(chunk({ role: "assistant", content: "" }));
      await sleep(Number(body.fake_delay_ms ?? 3000));
      if (res.destroyed) return true;
      sse(chunk({ content: " late" }));
      sse(chunk({}, "stop"));
      sse(usage(1));
      res.end("data: [DONE]\n\n");
      return true;
    case fault === "cut" || fault === "stall": {
      if (!stream) return false;
      res.writeHead(200, { "content-type": "text/event-stream" });
      sse(chunk({ role: "assistant", content: "" }));
      for (let i = 0; i < Number(body.fake_cut_after ?? 3); i++) {
        await sleep(10);
        sse(chunk({ content: " tok" }));
      }
      if (fault === "cut") res.end();
      return true; // a stall: never another byte
    }
    case fault === "malformed":
      if (!stream) return false;
      res.writeHead(200, { "content-type": "text/event-stream" });
      sse(chunk({ role: "assistant", content: "" }));
      sse(chunk({ content: " one" }));
      res.write("data: {not json at all\n\n");
      sse(chunk({ content: " two" }));
      sse(chunk({}, "stop"));
      sse(usage(2));
      res.end("data: [DONE]\n\n");
      return true;
    case fault === "no-done":
      if (!stream) return false;
      res.writeHead(200, { "content-type": "text/event-stream" });
      sse(chunk({ role: "assistant", content: "" }));
      sse(chunk({ content: " all" }));
      sse(chunk({ content: " here" }));
      sse(chunk({}, "stop"));
      sse(usage(2));
      res.end();
      return true;
    default:
      await answer(stream);
      return true;
  }
}
