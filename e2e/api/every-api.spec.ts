import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { codexExec } from "../../tests/clients/codex-exec";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * Every OpenAI API the clients call, through the built app (server.ts → lib/gateway) with
 * models an admin registered over /api/v1/models: the official SDK on /v1/responses,
 * /v1/embeddings and /v1/completions, the Vercel AI SDK's default provider, and Codex CLI.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
let tag = "";
let upstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };
let key = "";

test.beforeAll(async ({ browser }) => {
  tag = randomBytes(4).toString("hex");
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  const models: Record<string, unknown>[] = [
    { name: `chat-${tag}`, upstream_model: "json" },
    { name: `stream-${tag}`, upstream_model: "sse" },
    { name: `agent-${tag}`, upstream_model: "tools" },
    { name: `embed-${tag}`, upstream_model: "embed", kind: "embedding" },
  ];
  for (const model of models) {
    const response = await admin.request.post("/api/v1/models", {
      headers: origin(),
      data: {
        base_url: upstream.url,
        input_price_per_million: "0.50",
        output_price_per_million: "1.50",
        ...model,
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  user = await newSignedInContext(browser);
  const created = await user.request.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `every api ${tag}` },
  });
  expect(created.status()).toBe(201);
  key = (await created.json()).key;
});

test.afterAll(async () => {
  await upstream?.stop();
  await admin?.close();
  await user?.context.close();
});

const sdk = () =>
  new OpenAI({ apiKey: key, baseURL: `${process.env.MB_BASE_URL}/v1`, maxRetries: 0 });

test("the OpenAI SDK: responses (plain, streamed), embeddings, completions; /v1/models says what each serves", async () => {
  const client = sdk();
  const response = await client.responses.create({ model: `chat-${tag}`, input: "hi" });
  expect(response.output_text).toBe(" tok tok tok tok tok");

  const stream = await client.responses.create({
    model: `stream-${tag}`,
    input: "hi",
    stream: true,
  });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  expect(types[0]).toBe("response.created");
  expect(types).toContain("response.output_text.delta");
  expect(types.at(-1)).toBe("response.completed");

  const embeddings = await client.embeddings.create({ model: `embed-${tag}`, input: ["a", "b"] });
  expect(embeddings.data).toHaveLength(2);

  const completion = await client.completions.create({
    model: `chat-${tag}`,
    prompt: "Once",
    max_tokens: 2,
  });
  expect(completion.choices[0].text).toBe(" tok tok");

  const listed = (await client.models.list()).data as unknown as { id: string; kind: string }[];
  expect(listed.find((m) => m.id === `embed-${tag}`)?.kind).toBe("embedding");
  expect(listed.find((m) => m.id === `chat-${tag}`)?.kind).toBe("chat");

  await expect(
    client.embeddings.create({ model: `chat-${tag}`, input: "x" }),
  ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
});

test("the Vercel AI SDK's default openai(model): generateText and streamText", async () => {
  const openai = createOpenAI({ baseURL: `${process.env.MB_BASE_URL}/v1`, apiKey: key });
  expect((await generateText({ model: openai(`chat-${tag}`), prompt: "hi" })).text).toBe(
    " tok tok tok tok tok",
  );
  let text = "";
  for await (const piece of streamText({ model: openai(`stream-${tag}`), prompt: "hi" }).textStream)
    text += piece;
  expect(text).toBe(" tok tok tok tok tok");
});

test("Codex CLI: codex exec completes a task that uses its shell tool", async () => {
  test.setTimeout(360_000);
  const { stdout } = await codexExec({
    baseURL: `${process.env.MB_BASE_URL}/v1`,
    model: `agent-${tag}`,
    apiKey: key,
    task: "Print modelbridge-tool-ok with the shell.",
    timeoutMs: 120_000,
  });
  expect(stdout).toMatch(/Done:[\s\S]*modelbridge-tool-ok/);
});
