import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { runClaudeCode } from "../../tests/helpers/claude-code";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * The real clients against a model whose primary deployment is down (nothing listens on its
 * address): the answer comes from the fallback, the usage names the fallback, and the key
 * is charged at the fallback's prices (10.00 / 20.00 per 1M tokens, ten times the primary's).
 * Each client has its own user, so its usage report holds only its own requests.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
let tag = "";
let openaiUpstream: FakeUpstream;
let anthropicUpstream: FakeUpstream;
let admin: BrowserContext;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  tag = randomBytes(4).toString("hex");
  [openaiUpstream, anthropicUpstream] = await Promise.all([
    startFakeUpstream(),
    startFakeUpstream({ script: "anthropic" }),
  ]);
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  const register = async (data: Record<string, unknown>) => {
    const response = await admin.request.post("/api/v1/models", { headers: origin(), data });
    expect(response.status(), await response.text()).toBe(201);
  };
  // Fallbacks: a Claude model (Anthropic's API) and an OpenAI-compatible one.
  await register({
    name: `fb-claude-${tag}`,
    provider: "anthropic",
    base_url: anthropicUpstream.url,
    upstream_model: "claude-text",
    api_key: "sk-ant-fake",
    input_price_per_million: "10.00",
    output_price_per_million: "20.00",
  });
  await register({
    name: `fb-openai-${tag}`,
    base_url: openaiUpstream.url,
    upstream_model: "json",
    input_price_per_million: "10.00",
    output_price_per_million: "20.00",
  });
  // Primaries whose only deployment is down.
  for (const fallback of ["claude", "openai"])
    await register({
      name: `down-${fallback}-${tag}`,
      base_url: "http://127.0.0.1:1/v1",
      input_price_per_million: "1.00",
      output_price_per_million: "2.00",
      fallbacks: [`fb-${fallback}-${tag}`],
    });
});

test.afterAll(async () => {
  await openaiUpstream?.stop();
  await anthropicUpstream?.stop();
  await admin?.close();
});

async function userWithKey(
  browser: Parameters<typeof newSignedInContext>[0],
): Promise<{ request: APIRequestContext; key: string; close: () => Promise<void> }> {
  const user = await newSignedInContext(browser);
  const response = await user.request.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `fallback ${tag}`, spending_limit: "50" },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { key } = (await response.json()) as { key: string };
  return { request: user.request, key, close: () => user.context.close() };
}

/** The user's usage by model, once written, and that the spend is the fallback's price. */
async function expectChargedToFallback(request: APIRequestContext, fallback: string) {
  let byModel: {
    model: string;
    requests: number;
    prompt_tokens: number;
    completion_tokens: number;
    spend: string;
  }[] = [];
  await expect
    .poll(
      async () => {
        const usage = await request.get("/api/v1/usage", { headers: origin() });
        byModel = ((await usage.json()) as { by_model: typeof byModel }).by_model;
        return byModel.some((m) => m.model === fallback);
      },
      { timeout: 5_000 },
    )
    .toBe(true);
  // Nothing under the primary's name; anything else (a client's side request) cost nothing.
  expect(byModel.some((m) => m.model.startsWith("down-"))).toBe(false);
  const row = byModel.find((m) => m.model === fallback)!;
  for (const other of byModel.filter((m) => m !== row)) expect(Number(other.spend)).toBe(0);
  expect(row.completion_tokens).toBeGreaterThan(0);
  const micros = BigInt(Math.round(Number(row.spend) * 1e6));
  expect(micros).toBe(BigInt(row.prompt_tokens) * 10n + BigInt(row.completion_tokens) * 20n);
}

test("OpenAI's SDK: the fallback answers, under its own name; the usage names it; its price is charged", async ({
  browser,
}) => {
  const user = await userWithKey(browser);
  try {
    const client = new OpenAI({
      apiKey: user.key,
      baseURL: `${process.env.MB_BASE_URL}/v1`,
      maxRetries: 0,
    });
    const { data, response } = await client.chat.completions
      .create({ model: `down-openai-${tag}`, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.model).toBe(`fb-openai-${tag}`);
    expect(data.choices[0].message.content).toContain("tok");
    expect(response.headers.get("x-modelbridge-fallback-from")).toBe(`down-openai-${tag}`);
    await expectChargedToFallback(user.request, `fb-openai-${tag}`);
  } finally {
    await user.close();
  }
});

test("Anthropic's SDK (streamed): the Claude fallback answers; the usage names it; its price is charged", async ({
  browser,
}) => {
  const user = await userWithKey(browser);
  try {
    const client = new Anthropic({
      apiKey: user.key,
      baseURL: process.env.MB_BASE_URL,
      maxRetries: 0,
    });
    const message = await client.messages
      .stream({
        model: `down-claude-${tag}`,
        max_tokens: 100,
        messages: [{ role: "user", content: "hi" }],
      })
      .finalMessage();
    const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
    expect(text).toBe("Hello from fake Claude");
    expect(message.model).toBe(`fb-claude-${tag}`);
    await expectChargedToFallback(user.request, `fb-claude-${tag}`);
  } finally {
    await user.close();
  }
});

test("Claude Code: answered by the fallback; the usage names it; its price is charged", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const user = await userWithKey(browser);
  try {
    const run = await runClaudeCode({
      baseUrl: process.env.MB_BASE_URL!,
      apiKey: user.key,
      model: `down-claude-${tag}`,
      prompt: "say hello",
    });
    expect(run.stdout).toContain("Hello from fake Claude");
    await expectChargedToFallback(user.request, `fb-claude-${tag}`);
  } finally {
    await user.close();
  }
});
