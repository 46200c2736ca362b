import { describe, expect, it } from "vitest";
import { ChatStreamToMessages } from "./chat-stream-to-messages";
import { MessagesStreamToChat } from "./messages-stream-to-chat";
import { chatSseAsMessagesSse, messagesSseAsChatSse } from "./sse-translate";

async function collect(source: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const text of source) out += text;
  return out;
}

async function* pieces(...texts: string[]) {
  yield* texts;
}

const names = (sse: string) => [...sse.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);

describe("re-writing a relayed stream in the other protocol", () => {
  it("chat SSE split anywhere → Anthropic events, [DONE] closing the message", async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "chatcmpl-1", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const whole =
      chunk({ role: "assistant", content: "" }) +
      chunk({ content: "Hi" }) +
      chunk({}, "stop") +
      "data: [DONE]\n\n";
    const out = await collect(
      chatSseAsMessagesSse(
        pieces(whole.slice(0, 17), whole.slice(17, 90), whole.slice(90)),
        new ChatStreamToMessages({ model: "m", inputTokensEstimate: 1 }),
      ),
    );
    expect(names(out)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("a chat error chunk becomes an Anthropic error event, and ends the stream", async () => {
    const error = `data: ${JSON.stringify({ error: { message: "The model server took too long to answer.", type: "api_error", param: null, code: "upstream_timeout" } })}\n\n`;
    const out = await collect(
      chatSseAsMessagesSse(
        pieces(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "a" } }] })}\n\n`,
          error,
        ),
        new ChatStreamToMessages({ model: "m", inputTokensEstimate: 1 }),
      ),
    );
    expect(names(out).at(-1)).toBe("error");
    expect(out).toContain('"type":"timeout_error"');
    expect(names(out)).not.toContain("message_stop");
  });

  it("an Anthropic error event becomes OpenAI's error chunk; message_stop becomes [DONE]", async () => {
    const event = (payload: { type: string; [k: string]: unknown }) =>
      `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
    const failing = await collect(
      messagesSseAsChatSse(
        pieces(
          event({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
        ),
        new MessagesStreamToChat({ model: "m", jsonTool: null, includeUsage: false }),
      ),
    );
    expect(JSON.parse(failing.slice(6))).toEqual({
      error: {
        message: "Overloaded",
        type: "overloaded_error",
        param: null,
        code: "upstream_error",
      },
    });
    const ending = await collect(
      messagesSseAsChatSse(
        pieces(
          event({
            type: "message_delta",
            delta: { stop_reason: "end_turn", stop_sequence: null },
            usage: { output_tokens: 1 },
          }),
          event({ type: "message_stop" }),
        ),
        new MessagesStreamToChat({ model: "m", jsonTool: null, includeUsage: false }),
      ),
    );
    expect(ending.endsWith("data: [DONE]\n\n")).toBe(true);
  });
});
