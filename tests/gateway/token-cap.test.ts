import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { keyStatus } from "@/lib/keys/status";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

/**
 * The token cap and the cut (PRODUCT.md: spending limits). The gateway's tokenizer is not
 * the model's: an answer within the cap sent upstream is never cut, and when the budget
 * does not bind nothing is counted at all. The fake upstream's `fake_piece` and
 * `fake_tokens_per_delta` make text that gpt-tokenizer counts far above, or far below, what
 * the "model" counts.
 */

// gpt-tokenizer counts this as many tokens; the fake model counts each delta as one.
const DENSE = " 🦄🐙🦑🦕🦖";
// Fake prices: 1 micro-unit per prompt token, 2 per output token.
const HUGE_LIMIT = 1_000_000_000_000n;

const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["sse", "sse-ignore-max", "echo-request"]);
  const userId = (await createUser(h.database)).id;
  const admin = await createUser(h.database, "admin");
  const register = (name: string, upstream: string, extra: Record<string, unknown>) =>
    createModel(
      h.database,
      createModelInput.parse({
        name,
        base_url: h.upstream.url,
        upstream_model: upstream,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        ...extra,
      }),
      admin.id,
    );
  await register("fake/reasoning-nocap", "reasoning", { max_output_tokens: null });
  await register("fake/reasoning", "reasoning", {
    max_output_tokens: 100,
    token_cap_field: "max_completion_tokens",
  });
  await register("fake/echo-request-nocap", "echo-request", {});
  return { userId };
});

async function streamAll(apiKey: string, body: Record<string, unknown>) {
  const stream = await client(t.h.baseURL, apiKey).chat.completions.create({
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
    ...body,
  } as never);
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>)
    chunks.push(chunk);
  const texts = chunks.map((c) => c.choices[0]?.delta.content).filter((t): t is string => !!t);
  const finish = chunks.map((c) => c.choices[0]?.finish_reason).find((f) => f);
  const usage = chunks.find((c) => c.usage)?.usage ?? null;
  return { texts, finish, usage };
}

/** What the upstream received, from the echo-request fake. */
async function sentUpstream(apiKey: string, model: string, body: Record<string, unknown>) {
  const answer = await client(t.h.baseURL, apiKey).chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
    ...body,
  } as never);
  return JSON.parse((answer as OpenAI.Chat.Completions.ChatCompletion).choices[0].message.content!)
    .body as Record<string, unknown>;
}

describe("cut only at the budget", () => {
  it("a key with a 1,000,000 limit streams a 20-delta answer whole under max_tokens 64", async () => {
    const { key } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: HUGE_LIMIT,
    });
    const { texts, finish } = await streamAll(key, {
      model: "fake/sse",
      max_tokens: 64,
      fake_chunks: 20,
      fake_interval_ms: 1,
      fake_piece: " tok{i}",
    });
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => ` tok${i}`));
    expect(finish).toBe("stop");
  });

  it("when the budget does not bind, even an upstream that ignores max_tokens is relayed whole", async () => {
    const { key } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: HUGE_LIMIT,
    });
    const { texts, finish } = await streamAll(key, {
      model: "fake/sse-ignore-max",
      max_tokens: 5,
      fake_chunks: 20,
      fake_interval_ms: 1,
      fake_piece: DENSE,
    });
    expect(texts).toHaveLength(20);
    expect(finish).toBe("stop");
  });

  it("budget binds, text tokenizes far above the model's count: the upstream's own cap ends the answer, uncut", async () => {
    // 40 micro-units: the prompt's estimate leaves room for about 15 output tokens. The
    // upstream bills "hi" as OpenAI counts it (8 tokens: the estimate reserves 9).
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 40n,
    });
    const { texts, finish, usage } = await streamAll(key, {
      model: "fake/sse",
      max_tokens: 100,
      fake_chunks: 60,
      fake_interval_ms: 1,
      fake_piece: DENSE,
      fake_prompt_tokens: 8,
    });
    // The answer ended where the upstream, counting in its own tokens, reached the cap it was sent.
    expect(finish).toBe("length");
    expect(usage?.prompt_tokens).toBe(8);
    expect(usage?.completion_tokens).toBe(texts.length);
    expect(texts.length).toBeGreaterThan(5);
    expect(texts.length).toBeLessThan(60);
    await t.h.runtime.flush();
    const after = await keyRow(t.h.database, row.id);
    expect(after.spend).toBeLessThanOrEqual(40n);
    expect(after.spend).toBe((await usageFor(t.h.database, row.id))[0].cost);
  });

  it("budget binds, text tokenizes far below the model's count: the upstream stops early on its own, uncut, charged within the limit", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 40n,
    });
    const { texts, finish, usage } = await streamAll(key, {
      model: "fake/sse",
      max_tokens: 100,
      fake_chunks: 60,
      fake_interval_ms: 1,
      fake_tokens_per_delta: 5,
      fake_prompt_tokens: 8,
    });
    expect(finish).toBe("length");
    expect(usage?.completion_tokens).toBe(texts.length * 5);
    await t.h.runtime.flush();
    expect((await keyRow(t.h.database, row.id)).spend).toBeLessThanOrEqual(40n);
  });

  it("budget binds and the upstream ignores the cap: the stream is cut right after the cap, charged what it produced within the limit", async () => {
    const capSent = async () => {
      const probe = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: 40n });
      return Number(
        (await sentUpstream(probe.key, "fake/echo-request", { max_tokens: 100 })).max_tokens,
      );
    };
    const cap = await capSent();
    expect(cap).toBeLessThan(100);
    for (const piece of [DENSE, " tok"]) {
      const { key, row } = await createKey(t.h.database, {
        userId: t.value.userId,
        spendingLimit: 40n,
      });
      const { texts, finish } = await streamAll(key, {
        model: "fake/sse-ignore-max",
        max_tokens: 100,
        fake_chunks: 60,
        fake_interval_ms: 1,
        fake_piece: piece,
      });
      expect(texts).toHaveLength(cap);
      expect(finish).toBe("length");
      await t.h.runtime.flush();
      const after = await keyRow(t.h.database, row.id);
      // No usage came (the gateway cut it): the gateway's count of what was produced, held
      // to the reservation the cut was placed at (issue 26: never the reservation when less).
      const [record] = await usageFor(t.h.database, row.id);
      expect(record.costSource).toBe("estimate");
      expect(after.spend).toBe(record.cost);
      expect(after.spend).toBe(
        piece === DENSE ? 40n : BigInt(record.promptTokens) + 2n * BigInt(record.completionTokens),
      );
      expect(after.spend).toBeLessThanOrEqual(40n);
      expect(keyStatus(after, new Date(), 11n)).toBe("limit_reached");
    }
  });
});

describe("the token cap's field", () => {
  it("a cap the client sent goes upstream in the client's field, and only that one", async () => {
    const { key } = await createKey(t.h.database, { userId: t.value.userId });
    const viaMaxTokens = await sentUpstream(key, "fake/echo-request", { max_tokens: 7 });
    expect(viaMaxTokens.max_tokens).toBe(7);
    expect(viaMaxTokens).not.toHaveProperty("max_completion_tokens");
    const viaCompletion = await sentUpstream(key, "fake/echo-request", {
      max_completion_tokens: 9,
    });
    expect(viaCompletion.max_completion_tokens).toBe(9);
    expect(viaCompletion).not.toHaveProperty("max_tokens");
  });

  it("no cap from the client, none from the model, no limit on the key: none is sent", async () => {
    const { key } = await createKey(t.h.database, { userId: t.value.userId });
    const sent = await sentUpstream(key, "fake/echo-request-nocap", {});
    expect(sent).not.toHaveProperty("max_tokens");
    expect(sent).not.toHaveProperty("max_completion_tokens");
  });

  it("an upstream that refuses max_tokens (OpenAI's reasoning models) answers a client that sent no cap", async () => {
    const { key } = await createKey(t.h.database, { userId: t.value.userId });
    const answer = await client(t.h.baseURL, key).chat.completions.create({
      model: "fake/reasoning-nocap",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0].finish_reason).toBe("stop");
  });

  it("a cap the gateway must add (model maximum, a key's limit) goes in the model's configured field", async () => {
    const limited = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: 40n });
    const answer = await client(t.h.baseURL, limited.key).chat.completions.create({
      model: "fake/reasoning",
      messages: [{ role: "user", content: "hi" }],
      ...({ fake_chunks: 50 } as object),
    });
    // The budget affords about 14 tokens: the upstream stopped there, told in max_completion_tokens.
    expect(answer.choices[0].finish_reason).toBe("length");
    const free = await createKey(t.h.database, { userId: t.value.userId });
    const streamed = await streamAll(free.key, {
      model: "fake/reasoning",
      fake_chunks: 5,
      fake_interval_ms: 1,
    });
    expect(streamed.texts).toHaveLength(5);
  });
});
