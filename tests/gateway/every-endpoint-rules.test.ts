import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { notifyKeyChanged } from "@/lib/keys/key-notify";
import { keyStatus } from "@/lib/keys/status";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import {
  client,
  createKey,
  createUser,
  disableOverage,
  keyRow,
  registerFakeModels,
  harnessForFile,
  usageFor,
} from "../helpers/harness";

/**
 * The rules that hold on chat hold on every endpoint: revocation, expiry, balance, limits
 * (each endpoint reserving what it can cost), recording on client abort, OpenAI's error
 * envelope and x-request-id; and a key's spend is the sum of its records.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, [
    "json",
    "sse-ignore-max",
    "sse-no-usage",
    "echo-request",
  ]);
  const admin = await createUser(h.database, "admin");
  await createModel(
    h.database,
    createModelInput.parse({
      name: "fake/embed",
      kind: "embedding",
      base_url: h.upstream.url,
      upstream_model: "embed",
      input_price_per_million: "1.00",
      output_price_per_million: "0",
    }),
    admin.id,
  );
  const userId = (await createUser(h.database)).id;
  return { userId };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One small request per endpoint, as its SDK method sends it. */
const calls = {
  responses: (apiKey: string) =>
    client(t.h.baseURL, apiKey).responses.create({ model: "fake/json", input: "hi" }),
  embeddings: (apiKey: string) =>
    client(t.h.baseURL, apiKey).embeddings.create({ model: "fake/embed", input: "hi" }),
  completions: (apiKey: string) =>
    client(t.h.baseURL, apiKey).completions.create({ model: "fake/json", prompt: "hi" }),
};

describe.each(Object.entries(calls))("%s", (endpoint, call) => {
  it("revoked and expired keys are refused; a balance used up is 402; each error in OpenAI's envelope with x-request-id", async () => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    await call(key);
    await t.h.database.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    await expect(call(key)).rejects.toMatchObject({ status: 401, code: "key_revoked" });

    const expired = await createKey(t.h.database, {
      userId: t.value.userId,
      expiresAt: new Date(Date.now() - 1000),
    });
    await expect(call(expired.key)).rejects.toMatchObject({ status: 401, code: "key_expired" });

    const broke = await createUser(t.h.database);
    await disableOverage(t.h.database, broke.id);
    const brokeKey = await createKey(t.h.database, { userId: broke.id });
    const error = await call(brokeKey.key).catch((e) => e);
    expect(error).toMatchObject({
      status: 402,
      code: "insufficient_balance",
      type: "insufficient_quota",
    });
    expect(error.headers.get("x-request-id")).toMatch(/.+/);
    expect(error.error).toMatchObject({
      message: expect.any(String),
      type: "insufficient_quota",
      code: "insufficient_balance",
      param: null,
    });
  });

  it("a spent key is limit_reached (429); spend equals the sum of the key's records", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 1_000n,
    });
    for (let i = 0; i < 3; i++) await call(key);
    await t.h.runtime.flush();
    const rows = await usageFor(t.h.database, row.id);
    expect(rows).toHaveLength(3);
    for (const record of rows) expect(record).toMatchObject({ endpoint, status: 200 });
    expect((await keyRow(t.h.database, row.id)).spend).toBe(
      rows.reduce((sum, r) => sum + r.cost, 0n),
    );

    await t.h.database.db.update(apiKeys).set({ spend: 1_000n }).where(eq(apiKeys.id, row.id));
    await notifyKeyChanged(row.id, t.h.database);
    await expect(call(key)).rejects.toMatchObject({ status: 429, code: "limit_reached" });
  });
});

describe("what each endpoint reserves", () => {
  it("responses: input + max_output_tokens; a small budget lowers the cap sent upstream", async () => {
    const { key } = await createKey(t.h.database, { userId: t.value.userId, spendingLimit: 100n });
    const response = await client(t.h.baseURL, key).responses.create({
      model: "fake/echo-request",
      input: "hi",
      max_output_tokens: 200,
    });
    const sent = JSON.parse(response.output_text).body as { max_tokens: number };
    // 100 micro-units at 2.00 per 1M output tokens pays for under 50 tokens after the prompt.
    expect(sent.max_tokens).toBeGreaterThan(0);
    expect(sent.max_tokens).toBeLessThan(50);
  });

  it("responses: a stream that would cross the limit is cut there and ends incomplete; charged what it used, within the limit", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 30n,
    });
    const stream = await client(t.h.baseURL, key).responses.create({
      model: "fake/sse-ignore-max",
      input: "hi",
      stream: true,
      ...({ fake_chunks: 200, fake_interval_ms: 1 } as object),
    });
    const events = [];
    for await (const event of stream) events.push(event);
    const deltas = events.filter((e) => e.type === "response.output_text.delta").length;
    expect(deltas).toBeGreaterThan(0);
    expect(deltas).toBeLessThan(30);
    expect(events.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { incomplete_details: { reason: "max_output_tokens" } },
    });
    await t.h.runtime.flush();
    const after = await keyRow(t.h.database, row.id);
    // Tokens × prices (issue 26), not the whole reservation; what is left pays for nothing.
    const [record] = await usageFor(t.h.database, row.id);
    expect(after.spend).toBe(BigInt(record.promptTokens) + 2n * BigInt(record.completionTokens));
    expect(after.spend).toBeLessThanOrEqual(30n);
    expect(keyStatus(after, new Date(), 11n)).toBe("limit_reached");
  });

  it("embeddings: their whole input; an input the budget cannot pay is refused, not cut", async () => {
    const { key, row } = await createKey(t.h.database, {
      userId: t.value.userId,
      spendingLimit: 50n,
    });
    const openai = client(t.h.baseURL, key);
    const long = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");
    await expect(
      openai.embeddings.create({ model: "fake/embed", input: long }),
    ).rejects.toMatchObject({ status: 429, code: "limit_reached" });
    const small = await openai.embeddings.create({ model: "fake/embed", input: "two words" });
    expect(small.data).toHaveLength(1);
    await t.h.runtime.flush();
    const rows = await usageFor(t.h.database, row.id);
    expect(rows.map((r) => [r.status, r.cost])).toEqual(
      expect.arrayContaining([
        [429, 0n],
        [200, 2n],
      ]),
    );
    expect((await keyRow(t.h.database, row.id)).reserved).toBe(0n);
  });
});

describe("a client that leaves mid-stream is charged for what was produced, and recorded", () => {
  it.each([
    [
      "responses",
      (apiKey: string) =>
        client(t.h.baseURL, apiKey).responses.create({
          model: "fake/sse-no-usage",
          input: "hi",
          stream: true,
          ...({ fake_chunks: 100, fake_interval_ms: 30 } as object),
        }),
    ],
    [
      "completions",
      (apiKey: string) =>
        client(t.h.baseURL, apiKey).completions.create({
          model: "fake/sse-no-usage",
          prompt: "hi",
          stream: true,
          ...({ fake_chunks: 100, fake_interval_ms: 30 } as object),
        }),
    ],
  ] as const)("%s", async (endpoint, open) => {
    const { key, row } = await createKey(t.h.database, { userId: t.value.userId });
    const stream = await open(key);
    let seen = 0;
    for await (const event of stream as AsyncIterable<Record<string, any>>) {
      if (event.type === "response.output_text.delta" || event.choices?.[0]?.text) seen++;
      if (seen === 3) break;
    }
    let record;
    for (let i = 0; i < 100 && !record; i++) {
      await t.h.runtime.flush();
      record = (await usageFor(t.h.database, row.id))[0];
      if (!record) await sleep(25);
    }
    expect(record).toMatchObject({
      endpoint,
      status: 499,
      errorCode: "client_closed",
      costSource: "estimate",
      streamed: true,
    });
    expect(record!.completionTokens).toBeGreaterThanOrEqual(3);
    expect(record!.completionTokens).toBeLessThan(100);
    expect((await keyRow(t.h.database, row.id)).spend).toBe(record!.cost);
  });
});
