import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * Exact spend, as a user sees it through the built server with the openai SDK: limits that
 * do not cut real answers, metering that one bad request cannot stop, statuses that tell
 * the truth, and a 429 the SDK does not retry. The finer cases run in tests/gateway.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
let tag = "";
let upstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };

test.beforeAll(async ({ browser }) => {
  tag = randomBytes(4).toString("hex");
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  const response = await admin.request.post("/api/v1/models", {
    headers: origin(),
    data: {
      name: `sse-${tag}`,
      base_url: upstream.url,
      upstream_model: "sse",
      input_price_per_million: "1.00",
      output_price_per_million: "2.00",
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  user = await newSignedInContext(browser);
});

test.afterAll(async () => {
  await upstream?.stop();
  await admin?.close();
  await user?.context.close();
});

async function createKey(body: Record<string, unknown>) {
  const response = await user.request.post("/api/v1/keys", { headers: origin(), data: body });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; key: string; status: string };
}

async function keyView(id: string) {
  const response = await user.request.get(`/api/v1/keys/${id}`, { headers: origin() });
  expect(response.status()).toBe(200);
  return (await response.json()) as { status: string; spend: string };
}

const sdk = (key: string, maxRetries = 0) =>
  new OpenAI({ apiKey: key, baseURL: `${process.env.MB_BASE_URL}/v1`, maxRetries });

test("a key with a 1,000,000 limit streams a 20-delta answer whole", async () => {
  const { key } = await createKey({ name: `limited ${tag}`, spending_limit: "1000000" });
  const stream = await sdk(key).chat.completions.create({
    model: `sse-${tag}`,
    messages: [{ role: "user", content: "count" }],
    max_tokens: 64,
    stream: true,
    ...({ fake_chunks: 20, fake_interval_ms: 1, fake_piece: " tok{i}" } as object),
  });
  const deltas: string[] = [];
  let finish: string | null = null;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) deltas.push(chunk.choices[0].delta.content);
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  expect(deltas).toEqual(Array.from({ length: 20 }, (_, i) => ` tok${i}`));
  expect(finish).toBe("stop");
});

test("after a request with a NUL byte in model, the next request's spend shows on its key within the flush interval", async () => {
  const poisoner = await createKey({ name: `poison ${tag}` });
  const poison = await fetch(`${process.env.MB_BASE_URL}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${poisoner.key}` },
    body: JSON.stringify({ model: "nul\u0000model", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(poison.status).toBe(400);
  expect(((await poison.json()) as { error: { param: string } }).error.param).toBe("model");

  const victim = await createKey({ name: `victim ${tag}` });
  await sdk(victim.key).chat.completions.create({
    model: "modelbridge/echo",
    messages: [{ role: "user", content: "hello" }],
  });
  const answeredAt = Date.now();
  // The usage flush runs every second by default: the spend is there well within a few.
  await expect
    .poll(async () => (await keyView(victim.id)).spend, { timeout: 5_000, intervals: [100] })
    .not.toMatch(/^0(\.0+)?$/);
  console.log(`spend visible on the key ${Date.now() - answeredAt} ms after the answer`);
});

test("a key with a tiny limit reads limit_reached, and its 429 is raised once by the SDK with default retries", async () => {
  // 0.000001: less than the cheapest request (one prompt and one output token) of every model these specs register (0.000002 and up).
  const tiny = await createKey({ name: `tiny ${tag}`, spending_limit: "0.000001" });
  expect(tiny.status).toBe("limit_reached");
  expect((await keyView(tiny.id)).status).toBe("limit_reached");
  const listed = await user.request.get(`/api/v1/keys?owner=personal&status=limit_reached`, {
    headers: origin(),
  });
  expect(((await listed.json()) as { data: { id: string }[] }).data.map((k) => k.id)).toContain(
    tiny.id,
  );

  let attempts = 0;
  const client = new OpenAI({
    apiKey: tiny.key,
    baseURL: `${process.env.MB_BASE_URL}/v1`,
    fetch: async (url, init) => {
      attempts++;
      return fetch(url, init);
    },
  });
  const error = await client.chat.completions
    .create({ model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] })
    .catch((e) => e);
  expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  expect(error.code).toBe("limit_reached");
  expect(error.headers?.get?.("x-should-retry")).toBe("false");
  expect(attempts).toBe(1);
});
