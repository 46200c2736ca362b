import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { runClaudeCode } from "../../tests/helpers/claude-code";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * Anthropic's API both ways through the built app (server.ts → lib/gateway): Anthropic's SDK
 * and Claude Code on a Claude model (passthrough) and on an OpenAI-compatible one
 * (translation), and OpenAI's SDK on a Claude model. Each client gets only a base URL and a key.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
const ANTHROPIC_CREDENTIAL = "sk-ant-fake";
let tag = "";
let openaiUpstream: FakeUpstream;
let anthropicUpstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };
let key = "";
let keyId = "";

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
    const response = await admin.request.post("/api/v1/models", {
      headers: origin(),
      data: { input_price_per_million: "3.00", output_price_per_million: "15.00", ...data },
    });
    expect(response.status(), await response.text()).toBe(201);
  };
  for (const behaviour of ["claude-text", "claude-tool", "claude-bash"]) {
    await register({
      name: `claude-${behaviour}-${tag}`,
      provider: "anthropic",
      base_url: anthropicUpstream.url,
      upstream_model: behaviour,
      api_key: ANTHROPIC_CREDENTIAL,
      cached_input_price_per_million: "0.30",
      cache_write_price_per_million: "3.75",
    });
  }
  for (const behaviour of ["sse", "weather-tool", "bash-tool"]) {
    await register({
      name: `vllm-${behaviour}-${tag}`,
      base_url: openaiUpstream.url,
      upstream_model: behaviour,
      api_key: "sk-upstream-openai",
    });
  }
  user = await newSignedInContext(browser);
  const created = await user.request.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `anthropic ${tag}` },
  });
  expect(created.status()).toBe(201);
  ({ key, id: keyId } = (await created.json()) as { key: string; id: string });
});

test.afterAll(async () => {
  await Promise.all([openaiUpstream?.stop(), anthropicUpstream?.stop()]);
  await admin?.close();
  await user?.context.close();
});

const anthropic = () =>
  new Anthropic({ apiKey: key, baseURL: process.env.MB_BASE_URL, maxRetries: 0 });
const lastSeenByAnthropic = async () =>
  (
    (await (await fetch(`${anthropicUpstream.url}/v1/_fake/requests`)).json()) as {
      url: string;
      headers: Record<string, string>;
    }[]
  ).at(-1)!;
const weather = {
  name: "get_weather",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
};

test("Anthropic's SDK on a Claude model: plain and streamed with tools, passed through with the model's credential", async () => {
  const message = await anthropic().messages.create(
    {
      model: `claude-claude-text-${tag}`,
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    },
    { headers: { "anthropic-beta": "prompt-caching-2024-07-31" } },
  );
  expect(message.content).toEqual([
    expect.objectContaining({ type: "text", text: "Hello from fake Claude" }),
  ]);
  let seen = await lastSeenByAnthropic();
  expect(seen.headers["x-api-key"]).toBe(ANTHROPIC_CREDENTIAL);
  expect(JSON.stringify(seen.headers)).not.toContain(key);
  expect(seen.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");

  const streamed = await anthropic()
    .messages.stream(
      {
        model: `claude-claude-tool-${tag}`,
        max_tokens: 100,
        tools: [weather],
        messages: [{ role: "user", content: "weather?" }],
      },
      { headers: { "anthropic-beta": "fine-grained-tool-streaming-2025-05-14" } },
    )
    .finalMessage();
  expect(streamed.content).toEqual([
    expect.objectContaining({ type: "tool_use", name: "get_weather", input: { city: "Paris" } }),
  ]);
  seen = await lastSeenByAnthropic();
  expect(seen.headers["anthropic-beta"]).toBe("fine-grained-tool-streaming-2025-05-14");
  expect(seen.headers["x-api-key"]).toBe(ANTHROPIC_CREDENTIAL);
});

test("Anthropic's SDK on an OpenAI-compatible model: streamed with tools, translated", async () => {
  const message = await anthropic()
    .messages.stream({
      model: `vllm-weather-tool-${tag}`,
      max_tokens: 100,
      tools: [weather],
      messages: [{ role: "user", content: "weather?" }],
    })
    .finalMessage();
  expect(message.stop_reason).toBe("tool_use");
  expect(message.content.at(-1)).toMatchObject({
    type: "tool_use",
    name: "get_weather",
    input: { city: "Paris" },
  });
});

test("OpenAI's SDK on a Claude model: chat completions, plain and streamed", async () => {
  const openai = new OpenAI({
    apiKey: key,
    baseURL: `${process.env.MB_BASE_URL}/v1`,
    maxRetries: 0,
  });
  const completion = await openai.chat.completions.create({
    model: `claude-claude-text-${tag}`,
    messages: [{ role: "user", content: "hi" }],
  });
  expect(completion.choices[0].message.content).toBe("Hello from fake Claude");
  const stream = await openai.chat.completions.create({
    model: `claude-claude-text-${tag}`,
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  expect(text).toBe("Hello from fake Claude");
});

test("Claude Code completes a prompt through a Claude model and through an OpenAI-compatible one", async () => {
  test.setTimeout(600_000);
  const onClaude = await runClaudeCode({
    baseUrl: process.env.MB_BASE_URL!,
    apiKey: key,
    model: `claude-claude-text-${tag}`,
    prompt: "say hello",
  });
  expect(onClaude.stdout).toContain("Hello from fake Claude");
  const seen = await lastSeenByAnthropic();
  expect(seen.url).toBe("/v1/messages?beta=true");
  expect(seen.headers["anthropic-beta"]).toContain("claude-code");
  expect(seen.headers["x-api-key"]).toBe(ANTHROPIC_CREDENTIAL);

  const onVllm = await runClaudeCode({
    baseUrl: process.env.MB_BASE_URL!,
    apiKey: key,
    model: `vllm-sse-${tag}`,
    prompt: "say hello",
  });
  expect(onVllm.stdout).toContain("tok tok tok");
  // What the OpenAI-compatible server got: Claude Code's tools as functions, its prompt as
  // plain messages, streamed with usage, and none of the client's or Anthropic's credentials.
  const received = (
    (await (await fetch(`${openaiUpstream.url}/_fake/requests`)).json()) as {
      body: Record<string, unknown>;
      headers: Record<string, string>;
    }[]
  ).filter((entry) => entry.body?.model === "sse");
  const translated = received.at(-1)!;
  const tools = translated.body.tools as {
    type: string;
    function: { name: string; parameters: unknown };
  }[];
  expect(tools.length).toBeGreaterThan(10);
  expect(tools.every((tool) => tool.type === "function" && tool.function.parameters)).toBe(true);
  expect(translated.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  const messages = translated.body.messages as { role: string; content: unknown }[];
  expect(messages[0].role).toBe("system");
  expect(
    messages.some(
      (message) => message.role === "user" && JSON.stringify(message.content).includes("say hello"),
    ),
  ).toBe(true);
  expect(JSON.stringify(translated)).not.toContain("cache_control");
  expect(JSON.stringify(translated.headers)).not.toContain(key);
});

test("Claude Code runs a tool through an OpenAI-compatible model: the call streamed as input_json_delta, the result translated back", async () => {
  test.setTimeout(600_000);
  const run = await runClaudeCode({
    baseUrl: process.env.MB_BASE_URL!,
    apiKey: key,
    model: `vllm-bash-tool-${tag}`,
    prompt: "run the marker command",
    allowedTools: ["Bash"],
  });
  expect(run.stdout).toContain("Done: modelbridge-tool-ok");
  const received = (
    (await (await fetch(`${openaiUpstream.url}/_fake/requests`)).json()) as {
      body: {
        model?: string;
        messages?: {
          role: string;
          content: unknown;
          tool_call_id?: string;
          tool_calls?: unknown[];
        }[];
      };
    }[]
  ).filter((entry) => entry.body?.model === "bash-tool");
  const second = received.at(-1)!.body.messages!;
  expect(second.at(-2)).toMatchObject({
    role: "assistant",
    tool_calls: [{ id: "call_bash1", type: "function", function: { name: "Bash" } }],
  });
  expect(second.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_bash1" });
  expect(String(second.at(-1)!.content)).toContain("modelbridge-tool-ok");
});

test("Claude Code runs a tool through a Claude model: tool_use and tool_result passed through as they are", async () => {
  test.setTimeout(600_000);
  const run = await runClaudeCode({
    baseUrl: process.env.MB_BASE_URL!,
    apiKey: key,
    model: `claude-claude-bash-${tag}`,
    prompt: "run the marker command",
    allowedTools: ["Bash"],
  });
  expect(run.stdout).toContain("Done: modelbridge-tool-ok");
  const recorded = (await (await fetch(`${anthropicUpstream.url}/v1/_fake/requests`)).json()) as {
    body: { model?: string; messages?: { role: string; content: unknown }[] };
  }[];
  const last = recorded.filter((entry) => entry.body?.model === "claude-bash").at(-1)!.body
    .messages!;
  expect(JSON.stringify(last.at(-1))).toContain('"tool_use_id":"toolu_bash1"');
});

test("every request above was metered: the key's spend is the sum of its recorded usage", async () => {
  const micros = (money: string) => BigInt(Math.round(Number(money) * 1_000_000));
  await expect
    .poll(async () => {
      const usage = (await (await user.request.get(`/api/v1/keys/${keyId}/usage`)).json()) as {
        data: { requests: number; spend: string }[];
      };
      const keyObject = (await (await user.request.get(`/api/v1/keys/${keyId}`)).json()) as {
        spend: string;
      };
      const recorded = usage.data.reduce((sum, day) => sum + micros(day.spend), 0n);
      const requests = usage.data.reduce((sum, day) => sum + day.requests, 0);
      return {
        matches: recorded === micros(keyObject.spend),
        positive: recorded > 0n,
        requests: requests >= 7,
      };
    })
    .toEqual({ matches: true, positive: true, requests: true });
});
