import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "@/db/schema";
import { anthropicClient, recordedRequests, registerAnthropicModels } from "./anthropic-harness";
import {
  client,
  createKey,
  createUser,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * Issue 26, items 4 and 6 (count_tokens), through the gateway on a real database:
 * tokens per minute admit a request on its prompt plus its output cap (corrected to what
 * it used when it ends), and `count_tokens` is admitted like any request (requests per
 * minute, concurrency) and answered from a cache when asked the same again.
 */
let h: Harness;
let anthropicUpstream: FakeUpstream;
let userId: string;

beforeAll(async () => {
  [h, anthropicUpstream] = await Promise.all([
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  await registerFakeModels(h.database, h.upstream.url, ["sse", "json"]);
  await registerAnthropicModels(h.database, anthropicUpstream.url, ["claude-text"]);
  userId = (await createUser(h.database)).id;
});

afterAll(async () => {
  await h?.close();
  await anthropicUpstream?.stop();
});

async function keyWith(limits: {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  maxConcurrent?: number;
}) {
  const { key, row } = await createKey(h.database, { userId });
  if (Object.keys(limits).length > 0)
    await h.database.db.update(apiKeys).set(limits).where(eq(apiKeys.id, row.id));
  return { key, keyId: row.id };
}

describe("tokens per minute count the output cap (issue 26, item 4)", () => {
  it("50 parallel streamed requests of 200 output tokens on a 1,000 TPM key serve at most 1,000 tokens", async () => {
    const { key, keyId } = await keyWith({ tokensPerMinute: 1_000 });
    const sdk = client(h.baseURL, key);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const stream = await sdk.chat.completions.create({
            model: "fake/sse",
            stream: true,
            max_tokens: 200,
            messages: [{ role: "user", content: "Write a long story." }],
            fake_chunks: 200,
            fake_interval_ms: 2,
          } as never);
          for await (const _ of stream as unknown as AsyncIterable<unknown>) void _;
          return "served";
        } catch (error) {
          return String((error as { code?: string }).code);
        }
      }),
    );
    await h.runtime.flush();
    const records = (await usageFor(h.database, keyId)).filter((r) => r.status === 200);
    expect(outcomes.filter((o) => o === "served").length).toBe(records.length);
    expect(records.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === "rate_limit_exceeded").length).toBeGreaterThan(0);
    // Per minute (by when each was admitted), never past the limit; the run may cross one.
    const byMinute = new Map<number, number>();
    for (const r of records) {
      const minute = Math.floor((r.createdAt.getTime() - r.latencyMs) / 60_000);
      byMinute.set(minute, (byMinute.get(minute) ?? 0) + r.promptTokens + r.completionTokens);
    }
    for (const used of byMinute.values()) expect(used).toBeLessThanOrEqual(1_000);
    // Each one served was whole: the cap counted at the door is what it could use.
    for (const r of records) expect(r.completionTokens).toBe(200);
  });

  it("a request's unused cap is given back when it ends: small answers keep being served", async () => {
    const { key } = await keyWith({ tokensPerMinute: 1_000 });
    const sdk = client(h.baseURL, key);
    let served = 0;
    for (let i = 0; i < 6; i++) {
      await sdk.chat.completions.create({
        model: "fake/json",
        max_tokens: 200,
        messages: [{ role: "user", content: "Say hi." }],
        fake_chunks: 3,
      } as never);
      served++;
      // Corrections reach the minute's shared count on the store's timer; flush writes them.
      await h.runtime.flush();
    }
    // 6 × (prompt + 200 cap) is past 1,000: only the correction to ~14 tokens each lets them in.
    expect(served).toBe(6);
  });
});

describe("count_tokens is admitted and cached (issue 26, item 6)", () => {
  const countCalls = async () =>
    (await recordedRequests(anthropicUpstream.url)).filter((r) => r.url.includes("/count_tokens"))
      .length;

  it("50 parallel counts on an RPM 5 key: at most 5 admitted, and they cost one upstream call", async () => {
    const { key } = await keyWith({ requestsPerMinute: 5 });
    const before = await countCalls();
    const sdk = anthropicClient(h.baseURL, key);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        sdk.messages
          .countTokens({
            model: "claude/claude-text",
            messages: [{ role: "user", content: "How many tokens is this sentence?" }],
          })
          .then(
            (count) => `ok:${count.input_tokens}`,
            (error: { status?: number }) => String(error.status),
          ),
      ),
    );
    const served = outcomes.filter((o) => o.startsWith("ok:"));
    expect(served.length).toBeLessThanOrEqual(5);
    expect(served.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === "429").length).toBe(50 - served.length);
    expect(new Set(served).size).toBe(1);
    expect((await countCalls()) - before).toBe(1);
  });

  it("the same count asked 20 times costs one upstream call; a different one costs another", async () => {
    const { key } = await keyWith({});
    const before = await countCalls();
    const sdk = anthropicClient(h.baseURL, key);
    const ask = (text: string) =>
      sdk.messages.countTokens({
        model: "claude/claude-text",
        messages: [{ role: "user", content: text }],
      });
    const first = await ask("A sentence typed one keystroke at a time.");
    for (let i = 0; i < 19; i++)
      expect(await ask("A sentence typed one keystroke at a time.")).toEqual(first);
    expect((await countCalls()) - before).toBe(1);
    await ask("A sentence typed one keystroke at a time!");
    expect((await countCalls()) - before).toBe(2);
  });
});
