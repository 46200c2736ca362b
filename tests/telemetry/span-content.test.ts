import { describe, expect, it } from "vitest";
import { FinishReasonScanner } from "@/lib/gateway/tracing/finish-reasons";
import { cappedJson, spanContent } from "@/lib/gateway/tracing/span-content";

/**
 * What the request span says about the answer, from the bytes the client received: the
 * finish reasons (even when a stream cuts a field in two), and the message content held to
 * the capture's byte cap as JSON that still parses.
 */
describe("finish reasons from the answer", () => {
  it("reads a chat stream whose finish_reason is split across two chunks", () => {
    const scanner = new FinishReasonScanner("chat.completions");
    const last = `data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}\n\n`;
    scanner.noteChunk(
      `data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\n`,
    );
    scanner.noteChunk(last.slice(0, 50));
    scanner.noteChunk(last.slice(50));
    scanner.noteChunk("data: [DONE]\n\n");
    expect(scanner.reasons()).toEqual(["length"]);
  });

  it("reads Responses' incomplete reason over its status, and ignores in_progress", () => {
    const stream = new FinishReasonScanner("responses");
    stream.noteChunk(
      `event: response.created\ndata: {"type":"response.created","response":{"object":"response","status":"in_progress"}}\n\n`,
    );
    stream.noteChunk(
      `event: response.incomplete\ndata: {"type":"response.incomplete","response":{"object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}\n\n`,
    );
    expect(stream.reasons()).toEqual(["max_output_tokens"]);
    const whole = new FinishReasonScanner("responses");
    whole.noteBody(
      `{"id":"resp_1","object":"response","created_at":1,"status":"completed","incomplete_details":null,"output":[{"type":"message","status":"completed"}]}`,
    );
    expect(whole.reasons()).toEqual(["completed"]);
  });

  it("does not take a finish_reason written inside the answer's text", () => {
    const scanner = new FinishReasonScanner("chat.completions");
    scanner.noteBody(
      JSON.stringify({
        choices: [{ message: { content: `say "finish_reason":"evil"` }, finish_reason: "stop" }],
      }),
    );
    expect(scanner.reasons()).toEqual(["stop"]);
  });
});

describe("message content for a span", () => {
  it("stays under the cap and parses, the longest text shortened and marked", () => {
    const long = "x".repeat(5_000);
    const json = cappedJson([{ role: "user", parts: [{ type: "text", content: long }] }], 1_024)!;
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(1_024);
    const [message] = JSON.parse(json) as { parts: { content: string }[] }[];
    expect(message.parts[0].content).toMatch(/^x+…\[truncated\]$/);
  });

  it("gives nothing for a request body the capture cut (no longer JSON)", () => {
    expect(spanContent("chat.completions", `{"messages":[{"role":"us`, null, [], 65_536)).toEqual({
      inputMessages: undefined,
      outputMessages: undefined,
      systemInstructions: undefined,
    });
  });
});
