import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * PRODUCT.md "Routing", each fault of the error table and each stream case through the
 * built server with the real openai SDK: what the client got, what the upstream saw
 * (attempts, spacing, no hammering: the fake upstream records every request per model name)
 * and what the key was charged. Every case has models of its own (a tag), so that one
 * case's breakers do not answer for another's.
 *
 * Prices: primaries 1.00/2.00 per 1M tokens; fallbacks 10.00/20.00. The fake answers with
 * 11 prompt tokens and 5 completion tokens (json) or one per delta (streams).
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
let upstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  user = await newSignedInContext(browser);
});

test.afterAll(async () => {
  await upstream?.stop();
  await admin?.close();
  await user?.context.close();
});

interface ModelSpec {
  name: string;
  upstream: string;
  price?: "cheap" | "dear";
  fallbacks?: string[];
  context_window?: number;
  first_byte_timeout_ms?: number;
  idle_timeout_ms?: number;
  routing?: Record<string, unknown>;
}

async function register(spec: ModelSpec): Promise<{ id: string }> {
  const dear = spec.price === "dear";
  const response = await admin.request.post("/api/v1/models", {
    headers: origin(),
    data: {
      name: spec.name,
      base_url: upstream.url,
      upstream_model: spec.upstream,
      input_price_per_million: dear ? "10.00" : "1.00",
      output_price_per_million: dear ? "20.00" : "2.00",
      first_byte_timeout_ms: spec.first_byte_timeout_ms ?? 1_000,
      idle_timeout_ms: spec.idle_timeout_ms ?? 1_000,
      ...(spec.fallbacks ? { fallbacks: spec.fallbacks } : {}),
      ...(spec.context_window ? { context_window: spec.context_window } : {}),
      ...(spec.routing ? { routing: spec.routing } : {}),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string };
}

async function addDeployment(modelId: string, upstreamModel: string) {
  const response = await admin.request.post(`/api/v1/models/${modelId}/deployments`, {
    headers: origin(),
    data: { base_url: upstream.url, upstream_model: upstreamModel, first_byte_timeout_ms: 1_000 },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string };
}

async function newKey() {
  const response = await user.request.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `routing ${randomBytes(3).toString("hex")}`, spending_limit: "100" },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/** The key's spend in micro-units, once the usage flush has written it. */
async function spendOf(keyId: string, atLeast = 0n): Promise<bigint> {
  let spend = 0n;
  await expect
    .poll(
      async () => {
        const response = await user.request.get(`/api/v1/keys/${keyId}`, { headers: origin() });
        const view = (await response.json()) as { spend: string };
        spend = BigInt(Math.round(Number(view.spend) * 1e6));
        return spend >= atLeast;
      },
      // Budget leases settle on their timer; a loaded two-core machine is slower.
      { timeout: 20_000 },
    )
    .toBe(true);
  // One more flush interval: nothing further arrives for this key.
  await new Promise((r) => setTimeout(r, 300));
  return spend;
}

async function seen(model: string): Promise<number[]> {
  const response = await fetch(`${upstream.url}/_fake/seen`);
  return ((await response.json()) as Record<string, number[]>)[model] ?? [];
}

const sdk = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${process.env.MB_BASE_URL}/v1`, maxRetries: 0 });

const tagged = () => randomBytes(4).toString("hex");
/** Cost of the fake's json answer (11 prompt, 5 completion tokens) at the two prices. */
const CHEAP_JSON = 11n * 1n + 5n * 2n;
const DEAR_JSON = 11n * 10n + 5n * 20n;

async function chat(key: string, model: string, extra: Record<string, unknown> = {}) {
  const { data, response } = await sdk(key)
    .chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      ...(extra as object),
    })
    .withResponse();
  return { body: data, headers: response.headers };
}

async function chatError(key: string, model: string, extra: Record<string, unknown> = {}) {
  return sdk(key)
    .chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      ...(extra as object),
    })
    .then(
      () => null,
      (error: InstanceType<typeof OpenAI.APIError>) => error,
    );
}

test("429 with Retry-After: the fallback answers at its price; the primary is not asked again while it waits", async () => {
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}`, price: "dear" });
  await register({
    name: `p-${t}`,
    upstream: `fault:429-retry-after:${t}`,
    fallbacks: [`fb-${t}`],
  });
  const { id, key } = await newKey();
  const first = await chat(key, `p-${t}`, { fake_retry_after_s: 30 });
  expect(first.body.model).toBe(`fb-${t}`);
  expect(first.headers.get("x-modelbridge-model")).toBe(`fb-${t}`);
  expect(first.headers.get("x-modelbridge-fallback-from")).toBe(`p-${t}`);
  expect(first.headers.get("x-modelbridge-attempts")).toBe("2");
  const second = await chat(key, `p-${t}`);
  expect(second.body.model).toBe(`fb-${t}`);
  expect(second.headers.get("x-modelbridge-attempts")).toBe("1");
  expect(await seen(`fault:429-retry-after:${t}`)).toHaveLength(1);
  expect(await seen(`fault:ok:${t}`)).toHaveLength(2);
  expect(await spendOf(id, 2n * DEAR_JSON)).toBe(2n * DEAR_JSON);
});

test("429 without Retry-After, one deployment: three attempts spaced by a jittered backoff, then the 429; then no more traffic while it cools", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:429:${t}` });
  const { id, key } = await newKey();
  const error = await chatError(key, `p-${t}`);
  expect(error?.status).toBe(429);
  expect(error?.code).toBe("upstream_rate_limited");
  const times = await seen(`fault:429:${t}`);
  expect(times).toHaveLength(3);
  // Full jitter: each gap at most the backoff's ceiling (0.5 s, then 1 s) plus slack.
  expect(times[1] - times[0]).toBeLessThan(1_000);
  expect(times[2] - times[1]).toBeLessThan(1_500);
  const cooling = await chatError(key, `p-${t}`);
  expect(cooling?.status).toBe(503);
  expect(cooling?.code).toBe("no_healthy_deployment");
  expect(cooling?.headers?.get("retry-after")).toMatch(/^\d+$/);
  expect(await seen(`fault:429:${t}`)).toHaveLength(3);
  expect(await spendOf(id)).toBe(0n);
});

test("500 once: the same deployment again after a backoff; charged once", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:500-once:${t}` });
  const { id, key } = await newKey();
  const answer = await chat(key, `p-${t}`);
  expect(answer.body.model).toBe(`p-${t}`);
  expect(answer.body.choices[0].message.content).toBe(" tok tok tok tok tok");
  expect(answer.headers.get("x-modelbridge-attempts")).toBe("2");
  expect(await seen(`fault:500-once:${t}`)).toHaveLength(2);
  expect(await spendOf(id, CHEAP_JSON)).toBe(CHEAP_JSON);
});

test("503 always on one of two deployments: every request answered; the dead one gets at most 3 attempts, then none", async () => {
  const t = tagged();
  const model = await register({ name: `p-${t}`, upstream: `fault:503:${t}` });
  await addDeployment(model.id, `fault:ok:${t}`);
  const { id, key } = await newKey();
  // Weighted 1:1, the dead one is picked by chance: ask until it has failed 3 times (its
  // breaker opens), then 8 more, of which it sees at most one probe (if its 5 s cooldown ends
  // on a slow machine), never one per request.
  let asked = 0;
  for (; asked < 40 && (await seen(`fault:503:${t}`)).length < 3; asked++) {
    const answer = await chat(key, `p-${t}`);
    expect(answer.body.model).toBe(`p-${t}`);
  }
  expect(await seen(`fault:503:${t}`)).toHaveLength(3);
  for (let i = 0; i < 8; i++, asked++) {
    const answer = await chat(key, `p-${t}`);
    expect(answer.body.model).toBe(`p-${t}`);
  }
  expect((await seen(`fault:503:${t}`)).length).toBeLessThanOrEqual(4);
  expect(await seen(`fault:ok:${t}`)).toHaveLength(asked);
  const total = BigInt(asked) * CHEAP_JSON;
  expect(await spendOf(id, total)).toBe(total);
  // Admin → Models' data: the dead deployment is cooling down, with its last error.
  const deployments = (await (
    await admin.request.get(`/api/v1/models/${model.id}/deployments`, { headers: origin() })
  ).json()) as { data: { upstream_model: string; state: string; last_error: string | null }[] };
  const dead = deployments.data.find((d) => d.upstream_model === `fault:503:${t}`)!;
  expect(dead.state).toBe("cooling_down");
  expect(dead.last_error).toContain("503");
});

test("reset before headers: the fallback answers", async () => {
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}`, price: "dear" });
  await register({ name: `p-${t}`, upstream: `fault:reset:${t}`, fallbacks: [`fb-${t}`] });
  const { id, key } = await newKey();
  const answer = await chat(key, `p-${t}`);
  expect(answer.body.model).toBe(`fb-${t}`);
  expect(await seen(`fault:reset:${t}`)).toHaveLength(1);
  expect(await spendOf(id, DEAR_JSON)).toBe(DEAR_JSON);
});

test("no answer: after the first-byte timeout the fallback answers; the silent one is not retried", async () => {
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}`, price: "dear" });
  await register({ name: `p-${t}`, upstream: `fault:no-answer:${t}`, fallbacks: [`fb-${t}`] });
  const { id, key } = await newKey();
  const started = Date.now();
  const answer = await chat(key, `p-${t}`);
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(answer.body.model).toBe(`fb-${t}`);
  expect(await seen(`fault:no-answer:${t}`)).toHaveLength(1);
  expect(await spendOf(id, DEAR_JSON)).toBe(DEAR_JSON);
});

async function streamText(key: string, model: string, extra: Record<string, unknown> = {}) {
  const stream = await sdk(key).chat.completions.create({
    model,
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    ...(extra as object),
  });
  let text = "";
  let finish: string | null = null;
  let answeredBy = "";
  let error: unknown = null;
  try {
    for await (const chunk of stream) {
      answeredBy = chunk.model || answeredBy;
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
  } catch (e) {
    error = e;
  }
  return { text, finish, answeredBy, error };
}

test("slow first token (stream): the role-only opening is held back, and the fallback's stream answers", async () => {
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}`, price: "dear" });
  await register({
    name: `p-${t}`,
    upstream: `fault:slow-first-token:${t}`,
    fallbacks: [`fb-${t}`],
  });
  const { key } = await newKey();
  const got = await streamText(key, `p-${t}`, { fake_delay_ms: 4_000, fake_chunks: 3 });
  expect(got.error).toBeNull();
  expect(got.text).toBe(" tok tok tok");
  expect(got.text).not.toContain("late");
  expect(got.answeredBy).toBe(`fb-${t}`);
  expect(await seen(`fault:slow-first-token:${t}`)).toHaveLength(1);
});

test("a stream cut after 3 tokens: an error event, never a normal end; charged for what was delivered; not restarted", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:cut:${t}` });
  const { id, key } = await newKey();
  const got = await streamText(key, `p-${t}`, { fake_cut_after: 3 });
  expect(got.text).toBe(" tok tok tok");
  expect(got.finish).toBeNull();
  expect(got.error).toBeInstanceOf(OpenAI.APIError);
  expect(await seen(`fault:cut:${t}`)).toHaveLength(1);
  expect(await spendOf(id, 1n)).toBeGreaterThan(0n);
});

test("a stream that stalls after content: the stall timeout ends it with an error event", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:stall:${t}`, idle_timeout_ms: 1_000 });
  const { id, key } = await newKey();
  const started = Date.now();
  const got = await streamText(key, `p-${t}`, { fake_cut_after: 2 });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(got.text).toBe(" tok tok");
  expect(got.error).toBeInstanceOf(OpenAI.APIError);
  expect(await seen(`fault:stall:${t}`)).toHaveLength(1);
  expect(await spendOf(id, 1n)).toBeGreaterThan(0n);
});

test("a malformed event in the middle is skipped; the stream finishes", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:malformed:${t}` });
  const { id, key } = await newKey();
  const got = await streamText(key, `p-${t}`);
  expect(got.error).toBeNull();
  expect(got.text).toBe(" one two");
  expect(got.finish).toBe("stop");
  expect(got.answeredBy).toBe(`p-${t}`);
  // The upstream's usage: 11 prompt, 2 completion tokens.
  expect(await spendOf(id, 15n)).toBe(11n + 4n);
});

test("a stream finished without [DONE] ends normally and promptly, with the upstream's usage", async () => {
  const t = tagged();
  await register({ name: `p-${t}`, upstream: `fault:no-done:${t}` });
  const { id, key } = await newKey();
  const started = Date.now();
  const got = await streamText(key, `p-${t}`);
  expect(Date.now() - started).toBeLessThan(1_500);
  expect(got.error).toBeNull();
  expect(got.text).toBe(" all here");
  expect(got.finish).toBe("stop");
  expect(await spendOf(id, 15n)).toBe(11n + 4n);
});

test("context length: never the same model again; only a fallback with a larger window", async () => {
  const t = tagged();
  await register({ name: `small-${t}`, upstream: `fault:ok-small:${t}`, context_window: 4 });
  await register({
    name: `big-${t}`,
    upstream: `fault:ok-big:${t}`,
    context_window: 100_000,
    price: "dear",
  });
  await register({
    name: `p-${t}`,
    upstream: `fault:context-length:${t}`,
    context_window: 8,
    fallbacks: [`small-${t}`, `big-${t}`],
  });
  const { id, key } = await newKey();
  const answer = await chat(key, `p-${t}`);
  expect(answer.body.model).toBe(`big-${t}`);
  expect(await seen(`fault:context-length:${t}`)).toHaveLength(1);
  expect(await seen(`fault:ok-small:${t}`)).toHaveLength(0);
  expect(await seen(`fault:ok-big:${t}`)).toHaveLength(1);
  expect(await spendOf(id, DEAR_JSON)).toBe(DEAR_JSON);
});

test("content filter: the provider's refusal and reason reach the client; no retry, no fallback, nothing charged", async () => {
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}` });
  await register({ name: `p-${t}`, upstream: `fault:content-filter:${t}`, fallbacks: [`fb-${t}`] });
  const { id, key } = await newKey();
  const error = await chatError(key, `p-${t}`);
  expect(error?.status).toBe(400);
  expect(error?.message).toContain("content policy");
  expect(await seen(`fault:content-filter:${t}`)).toHaveLength(1);
  expect(await seen(`fault:ok:${t}`)).toHaveLength(0);
  expect(await spendOf(id)).toBe(0n);
});

test("a primary down for 6 s, then healthy: the fallback answers meanwhile, a handful of probes, traffic back soon after", async () => {
  test.setTimeout(60_000);
  const t = tagged();
  await register({ name: `fb-${t}`, upstream: `fault:ok:${t}`, price: "dear" });
  await register({ name: `p-${t}`, upstream: `fault:down-for-6000:${t}`, fallbacks: [`fb-${t}`] });
  const { key } = await newKey();
  const answeredBy: { at: number; model: string }[] = [];
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const answer = await chat(key, `p-${t}`);
    answeredBy.push({ at: Date.now() - started, model: answer.body.model });
    if (answer.body.model === `p-${t}` && Date.now() - started > 6_000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const primaryHits = await seen(`fault:down-for-6000:${t}`);
  const first = primaryHits[0];
  const duringOutage = primaryHits.filter((at) => at - first < 6_000);
  // 3 failures open it; a probe or two while it is still down: not one per request.
  expect(duringOutage.length).toBeLessThanOrEqual(5);
  expect(answeredBy.filter((a) => a.model === `fb-${t}`).length).toBeGreaterThan(5);
  const back = answeredBy.find((a) => a.model === `p-${t}` && a.at > 6_000);
  expect(back, JSON.stringify(answeredBy)).toBeDefined();
  // Recovered at ~6 s; traffic back within the next cooldown (5–10 s here, ~30 s at worst).
  expect(back!.at).toBeLessThan(6_000 + 15_000);
});
