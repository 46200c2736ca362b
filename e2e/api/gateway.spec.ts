import fs from "node:fs";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * The built app (server.ts → lib/gateway) in front of a real upstream process, with the
 * official SDK as the client: what an application sees. Finer cases run in tests/gateway.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
// Fresh per beforeAll: a worker may run this file's tests in more than one batch.
let tag = "";
let credential = "";

let upstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };

test.beforeAll(async ({ browser }) => {
  tag = randomBytes(4).toString("hex");
  credential = `sk-upstream-${randomBytes(12).toString("hex")}`;
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const page = await admin.newPage();
  await signIn(page, platformAdminAccount());
  for (const mode of ["json", "sse"]) {
    const response = await admin.request.post("/api/v1/models", {
      headers: origin(),
      data: {
        name: `vllm-${mode}-${tag}`,
        base_url: upstream.url,
        upstream_model: mode,
        api_key: credential,
        input_price_per_million: "0.50",
        output_price_per_million: "1.50",
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
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
  return (await response.json()) as { id: string; key: string };
}

const sdk = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: `${process.env.MB_BASE_URL}/v1`, maxRetries: 0 });

test("a registered model answers through the built app, plain and streamed, and /v1/models lists it", async () => {
  const { key } = await createKey({ name: `app ${tag}` });
  const client = sdk(key);

  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toEqual(
    expect.arrayContaining(["modelbridge/echo", `vllm-json-${tag}`, `vllm-sse-${tag}`]),
  );

  const reply = await client.chat.completions.create({
    model: `vllm-json-${tag}`,
    messages: [{ role: "user", content: "hi" }],
  });
  expect(reply.choices[0].message.content).toBeTruthy();
  expect(reply.usage?.total_tokens).toBeGreaterThan(0);

  const stream = await client.chat.completions.create({
    model: `vllm-sse-${tag}`,
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  const deltas: string[] = [];
  for await (const chunk of stream) {
    expect(chunk.usage ?? null).toBeNull(); // not asked for: the usage chunk the gateway requested stays hidden
    deltas.push(chunk.choices[0]?.delta?.content ?? "");
  }
  expect(deltas.filter(Boolean).length).toBeGreaterThan(1);
});

test("revoking a key refuses its very next request", async () => {
  const { id, key } = await createKey({ name: `revoke ${tag}` });
  const client = sdk(key);
  await client.chat.completions.create({
    model: `vllm-json-${tag}`,
    messages: [{ role: "user", content: "hi" }],
  });

  const revoked = await user.request.post(`/api/v1/keys/${id}/revoke`, { headers: origin() });
  expect(revoked.status()).toBe(200);
  const error = await client.chat.completions
    .create({ model: `vllm-json-${tag}`, messages: [{ role: "user", content: "hi" }] })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("key_revoked");
});

test("a key with a small limit ends at limit_reached with 429, never past its limit", async () => {
  const { id, key } = await createKey({ name: `limited ${tag}`, spending_limit: "0.0001" });
  const client = sdk(key);
  let refused: InstanceType<typeof OpenAI.APIError> | undefined;
  for (let i = 0; i < 40 && !refused; i++) {
    await client.chat.completions
      .create({
        model: `vllm-json-${tag}`,
        messages: [{ role: "user", content: "tell me a long story" }],
      })
      .catch((e: unknown) => {
        refused = e as InstanceType<typeof OpenAI.APIError>;
      });
  }
  expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
  expect(refused?.code).toBe("limit_reached");
  await expect
    .poll(async () => (await (await user.request.get(`/api/v1/keys/${id}`)).json()).status)
    .toBe("limit_reached");
  const keyObject = await (await user.request.get(`/api/v1/keys/${id}`)).json();
  expect(Number(keyObject.spend)).toBeLessThanOrEqual(Number(keyObject.spending_limit));
});

test("the server log never contains a raw key or the upstream credential", async () => {
  const { key } = await createKey({ name: `log ${tag}` });
  await sdk(key).chat.completions.create({
    model: `vllm-json-${tag}`,
    messages: [{ role: "user", content: "hi" }],
  });
  const log = fs.readFileSync(process.env.MB_SERVER_LOG!, "utf8");
  expect(log).toContain('"msg":"v1 request"');
  expect(log).not.toContain(key);
  expect(log).not.toContain(credential);
});
