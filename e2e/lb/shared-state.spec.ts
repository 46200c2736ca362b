import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newAccount, newSignedInContext, signIn } from "../helpers/accounts";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * What only several processes behind a load balancer can get wrong, through nginx in front
 * of three processes (e2e/lb/global-setup.ts): every request may land on any of them.
 */
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });
const base = () => process.env.MB_BASE_URL!;
let upstream: FakeUpstream;
let admin: BrowserContext;
let user: { context: BrowserContext; request: APIRequestContext };
/** New per beforeAll: with fullyParallel, one worker may run it more than once. */
let tag = "";

test.beforeAll(async ({ browser }) => {
  tag = randomBytes(4).toString("hex");
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: base() });
  await signIn(await admin.newPage(), platformAdminAccount());
  for (const [name, behaviour, price] of [
    [`lb-json-${tag}`, "json", "1.00"],
    [`lb-sse-${tag}`, "sse", "1.00"],
    [`lb-echo-${tag}`, "echo-request", "1.00"],
    // $0.10 a token: 16 tokens an answer, $1.60 a request, for spend alerts.
    [`lb-dear-${tag}`, "json", "100000.00"],
  ]) {
    const response = await admin.request.post("/api/v1/models", {
      headers: origin(),
      data: {
        name,
        base_url: upstream.url,
        upstream_model: behaviour,
        api_key: "sk-upstream",
        input_price_per_million: price,
        output_price_per_million: price,
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
  user = await newSignedInContext(browser);
});

test.afterAll(async () => {
  await user?.context.close();
  await admin?.close();
  await upstream?.stop();
});

async function newKey(data: Record<string, unknown> = {}, owner = user.request) {
  const created = await owner.post("/api/v1/keys", {
    headers: origin(),
    data: { name: `lb ${tag} ${randomBytes(3).toString("hex")}`, ...data },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()) as { id: string; key: string };
}

/** Which process (upstream address) nginx sent each request id to. */
function processOf(requestId: string): string | undefined {
  const lines = fs.readFileSync(process.env.MB_LB_ACCESS_LOG!, "utf8").split("\n");
  return lines.find((line) => line.includes(requestId))?.split(" ")[1];
}

test("the Vercel AI SDK's second turn resolves item_reference whichever process serves it", async () => {
  const { key } = await newKey();
  const provider = createOpenAI({ baseURL: `${base()}/v1`, apiKey: key });
  const crossed: boolean[] = [];
  for (let i = 0; i < 6; i++) {
    // Half the first turns streamed: their items are stored before the last event leaves.
    let firstMessages: unknown[];
    let firstId: string | undefined;
    if (i % 2) {
      const first = streamText({ model: provider(`lb-sse-${tag}`), prompt: `hi ${i}` });
      await first.consumeStream();
      const response = await first.response;
      firstMessages = response.messages;
      firstId = response.headers?.["x-request-id"];
    } else {
      const first = await generateText({ model: provider(`lb-json-${tag}`), prompt: `hi ${i}` });
      firstMessages = first.response.messages;
      firstId = first.response.headers?.["x-request-id"];
    }
    let sentInput: unknown;
    const watching = createOpenAI({
      baseURL: `${base()}/v1`,
      apiKey: key,
      fetch: async (url, init) => {
        sentInput = JSON.parse(String(init?.body)).input;
        return fetch(url, init);
      },
    });
    const second = await generateText({
      model: watching(`lb-echo-${tag}`),
      messages: [
        { role: "user", content: `hi ${i}` },
        ...(firstMessages as []),
        { role: "user", content: "and again" },
      ],
    });
    expect(sentInput).toContainEqual({ type: "item_reference", id: expect.any(String) });
    const upstreamSaw = (JSON.parse(second.text).body as { messages: { role: string }[] }).messages;
    expect(upstreamSaw.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    const secondId = second.response.headers?.["x-request-id"];
    crossed.push(processOf(firstId!) !== processOf(secondId!));
  }
  // Round robin over three processes: most second turns ran where the first did not.
  expect(crossed.filter(Boolean).length).toBeGreaterThanOrEqual(2);
});

test("sign-in limits hold across processes: five wrong passwords, then even the right one waits", async ({
  browser,
}) => {
  const account = newAccount();
  const signUpContext = await newSignedInContext(browser, account);
  await signUpContext.context.close();
  const context = await browser.newContext({ baseURL: base() });
  const page = await context.newPage();
  for (let i = 0; i < 5; i++) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /password|email/i })).toBeVisible();
  }
  // Counted per process, three processes would have allowed fifteen guesses.
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Too many failed sign-in attempts.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});

test("an invite link works once, whichever process serves each step", async ({ browser }) => {
  // `admin` is signed in as the platform admin (beforeAll), through the balancer too.
  const adminPage = await admin.newPage();
  const invited = newAccount();
  await adminPage.goto("/admin/settings");
  await adminPage.getByRole("textbox", { name: "Email" }).fill(invited.email);
  await adminPage.getByRole("button", { name: "Create invite" }).click();
  const link = await adminPage.getByLabel("Invite link").inputValue();
  await adminPage.close();

  // Two people open the link and submit at once (likely on different processes).
  const pages = await Promise.all(
    [0, 1].map(async () => (await browser.newContext({ baseURL: base() })).newPage()),
  );
  await Promise.all(pages.map((page) => page.goto(link)));
  for (const page of pages) {
    await page.getByLabel("Name").fill(invited.name);
    await page.getByLabel("Password").fill(invited.password);
  }
  await Promise.all(
    pages.map((page) => page.getByRole("button", { name: "Create account" }).click()),
  );
  // Each ends signed in, or on the form with the invite refused: exactly one of each.
  const outcomes = await Promise.all(
    pages.map((page) =>
      Promise.race([
        page.waitForURL(/\/settings\/api-keys$/, { timeout: 30_000 }).then(() => "joined"),
        page
          .locator("main")
          .getByRole("alert")
          .waitFor({ timeout: 30_000 })
          .then(() => "refused"),
      ]),
    ),
  );
  expect(outcomes.sort()).toEqual(["joined", "refused"]);
  const again = await (await browser.newContext({ baseURL: base() })).newPage();
  await again.goto(link);
  await expect(again.locator("main").getByRole("alert")).toContainText("already been used");
  for (const page of [...pages, again]) await page.context().close();
});

test("a spend alert is delivered once to the owner's webhook (the platform admin's: loopback), with three processes' workers polling", async () => {
  const got: { id: string | undefined; body: { type: string; data: Record<string, unknown> } }[] =
    [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      got.push({
        id: req.headers["modelbridge-delivery"] as string | undefined,
        body: JSON.parse(body),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    // Loopback is the operator's network: only a platform admin's webhook may reach it.
    const hook = await admin.request.post("/api/v1/webhooks", {
      headers: origin(),
      data: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` },
    });
    expect(hook.status(), await hook.text()).toBe(201);
    const { id, key } = await newKey(
      { spending_limit: "10.00", alert_thresholds: [50] },
      admin.request,
    );
    // $1.60 each: the fourth crosses 50 %; six requests, spread over the three processes.
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${base()}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: `lb-dear-${tag}`,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      expect(response.status, await response.text()).toBe(200);
    }
    const alerts = () => got.filter((delivery) => delivery.body.type === "key.spend_threshold");
    await expect.poll(() => alerts().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    // Long enough for every process's worker to have polled several times.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].body.data).toMatchObject({ key: { id }, threshold: 50 });
    expect(new Set(got.map((delivery) => delivery.id)).size).toBe(got.length);
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
