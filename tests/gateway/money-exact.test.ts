import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { anthropicClient, ANTHROPIC_CREDENTIAL } from "./anthropic-harness";
import {
  client,
  createKey,
  createUser,
  keyRow,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";

/**
 * Issue 26, items 1 and 2 (PRODUCT.md, "The money is exact at every edge"), through the
 * gateway on a real database: the reservation counts every billable part of a request (a
 * request the key cannot pay is refused before the upstream reads it), and the charge is
 * always the tokens the upstream reported × the model's prices — never the reservation,
 * never clamped to it. The fake upstream bills what the test scripts (`fake_prompt_tokens`:
 * what a real provider counts, here o200k over the part), as a real one reports usage.
 *
 * Prices: 1.00 input / 2.00 output per 1M tokens, so a token of prompt is 1 micro-unit.
 */
let h: Harness;
let anthropicUpstream: FakeUpstream;
let userId: string;

beforeAll(async () => {
  [h, anthropicUpstream] = await Promise.all([
    startHarness(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  const admin = await createUser(h.database, "admin");
  const model = (name: string, fields: Record<string, unknown>) =>
    createModel(
      h.database,
      createModelInput.parse({
        name,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        first_byte_timeout_ms: 5_000,
        idle_timeout_ms: 5_000,
        ...fields,
      }),
      admin.id,
    );
  await model("money/sse", {
    base_url: h.upstream.url,
    upstream_model: "sse",
    api_key: "upstream-secret-credential",
  });
  await model("money/json", {
    base_url: h.upstream.url,
    upstream_model: "json",
    api_key: "upstream-secret-credential",
  });
  await model("money/responses", {
    base_url: h.upstream.url,
    upstream_model: "json",
    api_key: "upstream-secret-credential",
    native_responses: true,
  });
  await model("money/claude", {
    provider: "anthropic",
    base_url: anthropicUpstream.url,
    upstream_model: "claude-text",
    api_key: ANTHROPIC_CREDENTIAL,
    max_output_tokens: 4096,
  });
  userId = (await createUser(h.database)).id;
});

afterAll(async () => {
  await h?.close();
  await anthropicUpstream?.stop();
});

async function settled(keyId: string) {
  await h.runtime.flush();
  const row = await keyRow(h.database, keyId);
  const records = await usageFor(h.database, keyId);
  return { row, records };
}

async function upstreamRequests(url: string): Promise<number> {
  const received = (await (await fetch(`${url}/v1/_fake/requests`)).json()) as unknown[];
  return received.length;
}

async function shortfallMicros(): Promise<number> {
  const text = await gatewayMetrics().registry.metrics();
  let total = 0;
  for (const line of text.split("\n"))
    if (line.startsWith("modelbridge_reservation_shortfall_micro_units_total{"))
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  return total;
}

/** A JSON schema of about `properties` fields, as big structured-output schemas are. */
function bigSchema(properties: number) {
  const words = ["order", "customer", "amount", "currency", "shipping", "address", "status"];
  return {
    type: "object",
    properties: Object.fromEntries(
      Array.from({ length: properties }, (_, i) => [
        `field_${i}`,
        {
          type: "string",
          description: `The ${words[i % 7]} ${words[(i + 3) % 7]} of line ${i}, as printed on the invoice`,
        },
      ]),
    ),
    required: [],
    additionalProperties: false,
  };
}

/** Prose of about `tokens` o200k tokens. */
function prose(tokens: number): string {
  const sentence =
    "The committee reviewed the quarterly figures and asked the team to explain the variance in shipping costs. ";
  const per = countTokens(sentence);
  return sentence.repeat(Math.ceil(tokens / per));
}

const schema = bigSchema(6_000);
const schemaTokens = countTokens(JSON.stringify(schema));

/**
 * Each billable part the reservation used to miss, as the issue measured it: what the
 * request carries, and the prompt the upstream bills for it.
 */
const parts: {
  name: string;
  endpoint: "chat" | "responses" | "messages";
  body: Record<string, unknown>;
  billed: number;
}[] = [
  {
    name: "a chat response_format JSON schema",
    endpoint: "chat",
    body: {
      messages: [{ role: "user", content: "Fill the form." }],
      response_format: { type: "json_schema", json_schema: { name: "form", schema } },
    },
    billed: schemaTokens + 20,
  },
  {
    name: "legacy chat functions",
    endpoint: "chat",
    body: {
      messages: [{ role: "user", content: "Call it." }],
      functions: [{ name: "fill_form", parameters: schema }],
    },
    billed: schemaTokens + 20,
  },
  {
    name: "a chat file part (a text file)",
    endpoint: "chat",
    body: {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Summarise the file." },
            {
              type: "file",
              file: {
                filename: "minutes.txt",
                file_data: `data:text/plain;base64,${Buffer.from(prose(120_000)).toString("base64")}`,
              },
            },
          ],
        },
      ],
    },
    billed: countTokens(prose(120_000)) + 20,
  },
  {
    name: "a Responses text.format schema",
    endpoint: "responses",
    body: {
      input: "Fill the form.",
      text: { format: { type: "json_schema", name: "form", schema } },
    },
    billed: schemaTokens + 20,
  },
  {
    name: "an Anthropic text document on /v1/messages",
    endpoint: "messages",
    body: {
      messages: [
        {
          role: "user",
          content: [
            {
              type: "document",
              source: { type: "text", media_type: "text/plain", data: prose(120_000) },
            },
            { type: "text", text: "Summarise the document." },
          ],
        },
      ],
    },
    billed: countTokens(prose(120_000)) + 20,
  },
];

async function send(key: string, endpoint: string, body: Record<string, unknown>) {
  const sdk = client(h.baseURL, key);
  if (endpoint === "chat")
    return sdk.chat.completions.create({ model: "money/json", max_tokens: 1, ...body } as never);
  if (endpoint === "responses")
    return sdk.responses.create({
      model: "money/responses",
      max_output_tokens: 16,
      ...body,
    } as never);
  return anthropicClient(h.baseURL, key).messages.create({
    model: "money/claude",
    max_tokens: 1,
    ...body,
  } as never);
}

describe("the reservation counts every billable part (issue 26, item 1)", () => {
  for (const part of parts) {
    it(`${part.name}: a key that cannot pay for it is refused before the upstream reads it`, async () => {
      const url = part.endpoint === "messages" ? anthropicUpstream.url : h.upstream.url;
      const limit = 100_000n; // 0.10; the part alone costs more (≥ 0.12)
      expect(BigInt(part.billed)).toBeGreaterThan(limit);
      const { key, row } = await createKey(h.database, { userId, spendingLimit: limit });
      const before = await upstreamRequests(url);
      const error = (await send(key, part.endpoint, {
        ...part.body,
        fake_prompt_tokens: part.billed,
      }).catch((e: unknown) => e)) as { status?: number };
      expect(error.status).toBe(429);
      expect(JSON.stringify(error)).toContain("limit_reached");
      expect(await upstreamRequests(url)).toBe(before);
      const { row: after } = await settled(row.id);
      expect(after.spend).toBe(0n);
      expect(after.reserved).toBe(0n);
    });

    it(`${part.name}: a key that can pay is charged exactly what the upstream billed, within its reservation`, async () => {
      const { key, row } = await createKey(h.database, { userId, spendingLimit: 10_000_000n });
      const shortBefore = await shortfallMicros();
      await send(key, part.endpoint, { ...part.body, fake_prompt_tokens: part.billed });
      const { row: after, records } = await settled(row.id);
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record.promptTokens).toBe(part.billed);
      const expected = BigInt(record.promptTokens) * 1n + BigInt(record.completionTokens) * 2n;
      expect(record.cost).toBe(expected);
      expect(after.spend).toBe(expected);
      expect(after.reserved).toBe(0n);
      // The estimate covered it: nothing past the reservation.
      expect(await shortfallMicros()).toBe(shortBefore);
    });
  }

  it("a native Responses previous_response_id (the conversation is upstream) reserves what is left, and is charged what the upstream billed", async () => {
    const limit = 10_000n; // 0.01
    const { key, row } = await createKey(h.database, { userId, spendingLimit: limit });
    const billed = 2_000_000; // a 2M-token stored conversation
    const sdk = client(h.baseURL, key);
    // The conversation this key stored upstream (the fake answers every response as resp_native).
    const stored = await sdk.responses.create({ model: "money/responses", input: "Hi." });
    const shortBefore = await shortfallMicros();
    const slow = sdk.responses.create({
      model: "money/responses",
      previous_response_id: stored.id,
      input: "And then?",
      max_output_tokens: 16,
      fake_prompt_tokens: billed,
      fake_delay_ms: 4_000,
    } as never);
    // While it runs it holds all that is left of the budget.
    const deadline = Date.now() + 3_500;
    let held = 0n;
    while (Date.now() < deadline && held < limit - 100n) {
      held = (await keyRow(h.database, row.id)).reserved;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(held).toBeGreaterThanOrEqual(limit - 100n);
    await slow;
    const { row: after, records } = await settled(row.id);
    const record = records.find((r) => r.promptTokens === billed)!;
    const first = records.find((r) => r !== record)!;
    const expected = BigInt(billed) + BigInt(record.completionTokens) * 2n;
    expect(record.cost).toBe(expected);
    expect(first.cost).toBe(BigInt(first.promptTokens) + 2n * BigInt(first.completionTokens));
    expect(after.spend).toBe(expected + first.cost);
    expect(after.reserved).toBe(0n);
    // The operator sees what the reservation (at most all that was left) did not cover.
    const shortfall = (await shortfallMicros()) - shortBefore;
    expect(shortfall).toBeGreaterThanOrEqual(Number(expected - (limit - first.cost)));
    expect(shortfall).toBeLessThanOrEqual(Number(expected));
  });
});

describe("the charge is reported tokens × prices (issue 26, item 2)", () => {
  const prompt = prose(22_990);

  it("a 23,007-token prompt on a 0.03 key streams its whole answer and is charged 0.025007", async () => {
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 30_000n });
    const stream = await client(h.baseURL, key).chat.completions.create({
      model: "money/sse",
      stream: true,
      messages: [{ role: "user", content: prompt }],
      fake_prompt_tokens: 23_007,
      fake_chunks: 1_000,
      fake_interval_ms: 0,
    } as never);
    let deltas = 0;
    let finish: string | null = null;
    for await (const chunk of stream as unknown as AsyncIterable<{
      choices: { delta?: { content?: string }; finish_reason: string | null }[];
    }>) {
      for (const choice of chunk.choices) {
        if (choice.delta?.content) deltas++;
        finish = choice.finish_reason ?? finish;
      }
    }
    expect(deltas).toBe(1_000);
    expect(finish).toBe("stop");
    const { row: after, records } = await settled(row.id);
    expect(records[0].promptTokens).toBe(23_007);
    expect(records[0].completionTokens).toBe(1_000);
    expect(after.spend).toBe(25_007n);
  });

  it("a cut answer is charged what it used, not its reservation; a second request of a 0.06 key too", async () => {
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 60_000n });
    const sdk = client(h.baseURL, key);
    const first = await sdk.chat.completions.create({
      model: "money/json",
      messages: [{ role: "user", content: prompt }],
      fake_prompt_tokens: 23_007,
      fake_chunks: 1_000,
    } as never);
    expect(first.choices[0].finish_reason).toBe("stop");
    const second = await sdk.chat.completions.create({
      model: "money/json",
      max_tokens: 1,
      messages: [{ role: "user", content: prompt }],
      fake_prompt_tokens: 23_007,
      fake_chunks: 1_000,
    } as never);
    expect(second.choices[0].finish_reason).toBe("length");
    const { row: after, records } = await settled(row.id);
    const costs = records.map((r) => r.cost).sort((a, b) => Number(a - b));
    expect(costs).toEqual([23_009n, 25_007n]);
    for (const r of records)
      expect(r.cost).toBe(BigInt(r.promptTokens) + 2n * BigInt(r.completionTokens));
    expect(after.spend).toBe(48_016n);
  });

  it("an estimate that falls short is not clamped: the key pays what was used, the shortfall is in /metrics", async () => {
    // A prompt the gateway counts as a few tokens, billed by the upstream as 50,000
    // (a model whose tokenizer counts far more, or parts only the upstream sees).
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 20_000n });
    const shortBefore = await shortfallMicros();
    await client(h.baseURL, key).chat.completions.create({
      model: "money/json",
      max_tokens: 5,
      messages: [{ role: "user", content: "hello" }],
      fake_prompt_tokens: 50_000,
    } as never);
    const { row: after, records } = await settled(row.id);
    expect(records[0].cost).toBe(50_000n + 2n * BigInt(records[0].completionTokens));
    expect(after.spend).toBe(records[0].cost);
    expect(after.reserved).toBe(0n);
    expect(await shortfallMicros()).toBeGreaterThan(shortBefore);
    // Spent past its limit: the next request is refused.
    const refused = (await client(h.baseURL, key)
      .chat.completions.create({
        model: "money/json",
        max_tokens: 5,
        messages: [{ role: "user", content: "hello" }],
      })
      .catch((e: unknown) => e)) as { status?: number };
    expect(refused.status).toBe(429);
  });
});
