import Anthropic from "@anthropic-ai/sdk";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntries } from "@/db/schema";
import { keyStatus } from "@/lib/keys/status";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import { anthropicClient, registerAnthropicModels } from "./anthropic-harness";
import {
  createKey,
  createUser,
  keyRow,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";

/** Spending limits hold on /v1/messages as on every endpoint: spend = Σ records ≤ limit. */
let h: Harness;
let anthropicUpstream: FakeUpstream;
let userId: string;

beforeAll(async () => {
  [h, anthropicUpstream] = await Promise.all([
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  await registerAnthropicModels(h.database, anthropicUpstream.url, [
    "claude-text",
    "claude-ignore-max",
  ]);
  userId = (await createUser(h.database)).id;
});

afterAll(async () => {
  await h?.close();
  await anthropicUpstream?.stop();
});

type Outcome = string;

async function expectExactSpend(keyId: string, limit: bigint) {
  await h.runtime.flush();
  const after = await keyRow(h.database, keyId);
  expect(after.spend).toBeLessThanOrEqual(limit);
  expect(after.reserved).toBe(0n);
  const records = await usageFor(h.database, keyId);
  expect(records.reduce((sum, r) => sum + r.cost, 0n)).toBe(after.spend);
  const ledger = await h.database.db
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.keyId, keyId));
  expect(ledger.reduce((sum, r) => sum - r.amount, 0n)).toBe(after.spend);
  return { after, records };
}

const limitCode = (e: unknown): Outcome => {
  const error = e as InstanceType<typeof Anthropic.APIError>;
  return (error.error as { error?: { code?: string } } | undefined)?.error?.code ?? String(error);
};

describe("spending limits on /v1/messages", () => {
  it("30 concurrent streamed requests to an anthropic model never overspend; spend is the sum of the records", async () => {
    const limit = 1_500n;
    const { key, row } = await createKey(h.database, { userId, spendingLimit: limit });
    const sdk = anthropicClient(h.baseURL, key);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        sdk.messages
          .stream({
            // An upstream that honours the cap it is sent, billing the prompt as counted (issue 26:
            // one that bills past the reservation is charged what it billed, not clamped).
            model: "claude/claude-text",
            max_tokens: 20,
            messages: [{ role: "user", content: "tell me a story" }],
            ...({ fake_words: 40, fake_prompt_tokens: 8 } as object),
          })
          .finalMessage()
          .then((message) => message.stop_reason ?? "none", limitCode),
      ),
    );
    await expectExactSpend(row.id, limit);
    expect(results.filter((r) => r === "max_tokens" || r === "end_turn").length).toBeGreaterThan(0);
    expect(results.filter((r) => r === "limit_reached").length).toBeGreaterThan(0);
    expect(results.every((r) => ["max_tokens", "end_turn", "limit_reached"].includes(r))).toBe(
      true,
    );
  });

  it("30 concurrent plain requests translated onto the echo model never overspend", async () => {
    const limit = 400n;
    const { key, row } = await createKey(h.database, { userId, spendingLimit: limit });
    const sdk = anthropicClient(h.baseURL, key);
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        sdk.messages
          .create({
            model: "modelbridge/echo",
            max_tokens: 40,
            messages: [{ role: "user", content: long }],
          })
          .then((m) => m.stop_reason ?? "none", limitCode),
      ),
    );
    await expectExactSpend(row.id, limit);
    expect(results.filter((r) => r === "max_tokens" || r === "end_turn").length).toBeGreaterThan(0);
    expect(results.filter((r) => r === "limit_reached").length).toBeGreaterThan(0);
  });

  it("a passthrough stream that would cross the limit ends as Anthropic ends one at max_tokens, and the key is limit_reached", async () => {
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 300n });
    const stream = anthropicClient(h.baseURL, key).messages.stream({
      model: "claude/claude-ignore-max",
      max_tokens: 1000,
      messages: [{ role: "user", content: "hi" }],
      // Billed as Claude counts "hi" (8 tokens; the estimate reserves 10).
      ...({ fake_words: 200, fake_interval_ms: 1, fake_prompt_tokens: 8 } as object),
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("max_tokens");
    const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    expect(text.length).toBeGreaterThan(0);
    expect(text.split("tok").length - 1).toBeLessThan(200);
    const { after, records } = await expectExactSpend(row.id, 300n);
    // Tokens × prices (3 and 15 per 1M), not the reservation; what is left cannot pay the
    // cheapest request (9 prompt tokens and one output token: 42).
    expect(after.spend).toBe(
      3n * BigInt(records[0].promptTokens) + 15n * BigInt(records[0].completionTokens),
    );
    expect(keyStatus(after, new Date(), 42n)).toBe("limit_reached");

    const refused = await anthropicClient(h.baseURL, key)
      .messages.create({
        model: "claude/claude-text",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect(
      (refused as InstanceType<typeof Anthropic.APIError>).headers?.get("x-should-retry"),
    ).toBe("false");
    expect(limitCode(refused)).toBe("limit_reached");
  });
});
