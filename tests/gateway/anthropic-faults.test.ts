import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import { anthropicClient, registerAnthropicModels } from "./anthropic-harness";
import {
  client,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
  userWithKey,
} from "../helpers/harness";

/**
 * Upstream failures on the Anthropic paths end a stream with an error event the SDKs raise
 * (never a silent truncation), and what was produced is still charged and recorded.
 */
let h: Harness;
let anthropicUpstream: FakeUpstream;
let key: string;
let keyId: string;

beforeAll(async () => {
  [h, anthropicUpstream] = await Promise.all([
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  await registerAnthropicModels(h.database, anthropicUpstream.url, [
    "claude-truncated",
    "claude-garbage",
    "claude-ignore-max",
  ]);
  await registerFakeModels(h.database, h.upstream.url, ["reset", "sse-ignore-max"]);
  ({ key, keyId } = await userWithKey(h.database));
});

afterAll(async () => {
  await h?.close();
  await anthropicUpstream?.stop();
});

const recordOf = async (model: string) => {
  await h.runtime.flush();
  return (await usageFor(h.database, keyId)).filter((r) => r.model === model);
};

describe("faults on /v1/messages", () => {
  it("a passthrough stream that ends early gets an error event; what came is charged by estimate", async () => {
    const error = await anthropicClient(h.baseURL, key)
      .messages.stream({
        model: "claude/claude-truncated",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
      })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(String((error as Error).message)).toContain("ended the stream early");
    const [record] = await recordOf("claude/claude-truncated");
    expect(record).toMatchObject({
      status: 502,
      errorCode: "upstream_error",
      costSource: "estimate",
    });
    expect(record.completionTokens).toBeGreaterThan(0);
  });

  it("a passthrough stream malformed before any content fails as a whole (502, nothing sent, nothing charged)", async () => {
    const error = await anthropicClient(h.baseURL, key)
      .messages.stream({
        model: "claude/claude-garbage",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
      })
      .finalMessage()
      .catch((e: unknown) => e);
    // Nothing of the answer had reached the client: the gateway could still have failed over
    // (there is no other deployment), so the client gets the error as the response itself.
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect(String((error as Error).message)).toContain("before any content");
    const [record] = await recordOf("claude/claude-garbage");
    expect(record).toMatchObject({ status: 502, cost: 0n });
  });

  it("a translated stream whose upstream resets gets an Anthropic error event", async () => {
    const error = await anthropicClient(h.baseURL, key)
      .messages.stream({
        model: "fake/reset",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
      })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const [record] = await recordOf("fake/reset");
    expect(record).toMatchObject({ status: 502, errorCode: "upstream_error" });
  });

  it("a client that leaves a passthrough stream is charged for what was produced; the upstream is aborted", async () => {
    const stream = anthropicClient(h.baseURL, key).messages.stream({
      model: "claude/claude-ignore-max",
      max_tokens: 1000,
      messages: [{ role: "user", content: "hi" }],
      ...({ fake_words: 500, fake_interval_ms: 10 } as object),
    });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === "content_block_delta" && ++deltas === 5) break;
    }
    const record = await (async () => {
      for (let i = 0; i < 100; i++) {
        const [found] = await recordOf("claude/claude-ignore-max");
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("no record");
    })();
    expect(record).toMatchObject({ status: 499, errorCode: "client_closed" });
    expect(record.completionTokens).toBeGreaterThanOrEqual(5);
    expect(record.completionTokens).toBeLessThan(500);
    expect(record.cost).toBeGreaterThan(0n);
  });

  it("OpenAI's SDK on a Claude model: a stream that ends early raises", async () => {
    const stream = await client(h.baseURL, key).chat.completions.create({
      model: "claude/claude-truncated",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const error = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain("ended the stream early");
  });
});
