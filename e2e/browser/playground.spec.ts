import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { keyRow } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";

/**
 * The Playground against the production server: the answer streams in through the
 * session's route, is metered on the user's Playground key, and the curl command shown
 * beside it works once a real key replaces `$API_KEY`.
 */
const run = promisify(execFile);
const words = (n: number, prefix = "word") =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(" ");

async function openPlayground(page: Page) {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Playground" })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Playground" })).toBeVisible();
  // Other specs on the shared server register models that sort first: pick the demo model.
  await page.getByLabel("Model").selectOption("modelbridge/echo");
}

/** The last reply's text, "" while the model has not answered yet. */
async function lastReplyText(page: Page): Promise<string> {
  const replies = page.getByTestId("assistant-text");
  const count = await replies.count();
  return count === 0 ? "" : ((await replies.nth(count - 1).textContent()) ?? "");
}

async function send(page: Page, text: string) {
  const box = page.getByLabel("Message");
  await box.fill(text);
  await box.press("Enter");
}

async function playgroundKeyId(request: APIRequestContext): Promise<string> {
  const list = await request.get("/api/v1/keys?owner=personal");
  expect(list.status()).toBe(200);
  const key = (await list.json()).data.find((k: { name: string }) => k.name === "Playground");
  expect(key, "the Playground key is in the user's key list").toBeTruthy();
  return key.id;
}

/** Usage of the key through the management API (records are written in batches: poll). */
async function expectUsage(request: APIRequestContext, keyId: string, requests: number) {
  await expect
    .poll(
      async () => {
        const usage = await (await request.get(`/api/v1/keys/${keyId}/usage`)).json();
        const days = usage.data as { requests: number; spend: string; completion_tokens: number }[];
        return {
          requests: days.reduce((sum, d) => sum + d.requests, 0),
          charged: days.some((d) => Number(d.spend) > 0 && d.completion_tokens > 0),
        };
      },
      { timeout: 15_000 },
    )
    .toEqual({ requests, charged: true });
}

async function waitForIdle(page: Page) {
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible({ timeout: 20_000 });
}

test("a prompt streams in progressively, is charged to the Playground key, and the curl shown works with a real key", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signUp(page);
  await openPlayground(page);
  await expect(page.getByText("Start a conversation")).toBeVisible();
  await expect(page.getByLabel("Endpoint URL", { exact: true })).toHaveText(
    `${baseURL}/v1/chat/completions`,
  );
  await expect(page.getByLabel("curl command", { exact: true })).toContainText(
    '"content": "<your message here>"',
  );

  // The echo model sends one word per chunk, ~15 ms apart: 400 words take about 6 s, long
  // enough to catch several partial states even when a busy machine slows the page down.
  const prompt = words(400);
  const expected = `Echo: ${prompt}`;
  await send(page, prompt);

  const seen: string[] = [];
  let stopVisibleWhileStreaming = false;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await lastReplyText(page);
    if (text && text !== seen.at(-1)) seen.push(text);
    if (text && text !== expected)
      stopVisibleWhileStreaming ||= await page.getByRole("button", { name: "Stop" }).isVisible();
    if (text === expected || Date.now() > deadline) break;
    await page.waitForTimeout(60);
  }
  expect(seen.at(-1)).toBe(expected);
  const partial = seen.slice(0, -1);
  expect(partial.length, `intermediate states seen: ${partial.length}`).toBeGreaterThanOrEqual(3);
  // Each observation extends the previous one: the text grows, it is never replaced.
  seen.forEach((text, i) => i > 0 && expect(text.startsWith(seen[i - 1])).toBe(true));
  expect(stopVisibleWhileStreaming).toBe(true);
  await waitForIdle(page);
  await expect(page.getByText(/\d+ prompt \+ \d+ completion tokens/)).toBeVisible();

  // The curl command reflects the chosen model, the parameters and the conversation.
  const curlBox = page.getByLabel("curl command", { exact: true });
  await expect(curlBox).toContainText(`curl -X POST "${baseURL}/v1/chat/completions"`);
  await expect(curlBox).toContainText('-H "Authorization: Bearer $API_KEY"');
  await expect(curlBox).toContainText('"model": "modelbridge/echo"');
  await expect(curlBox).toContainText('"max_tokens": 1000');
  const curl = (await curlBox.textContent())!;
  await page.getByRole("button", { name: "Copy curl command" }).click();
  await expect(page.getByRole("button", { name: "Copy curl command" })).toContainText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

  // Spend shows up like any key's: on the Playground key, through the session.
  const keyId = await playgroundKeyId(page.request);
  await expectUsage(page.request, keyId, 1);

  // A real key in place of $API_KEY, and the command runs as shown.
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "curl check" },
    headers: sameOrigin(),
  });
  expect(created.status()).toBe(201);
  const realKey: string = (await created.json()).key;
  const { stdout } = await run("bash", ["-c", curl.replace("$API_KEY", realKey)], {
    timeout: 20_000,
  });
  const answer = JSON.parse(stdout);
  expect(answer.object).toBe("chat.completion");
  expect(answer.model).toBe("modelbridge/echo");
  expect(answer.choices[0].message.content).toBe(expected);

  // The key list shows the Playground key under that name.
  await page.goto("/settings/api-keys");
  const row = keyRow(page, "Playground");
  await expect(row).toContainText(/active/i);
  const spend = /([\d.]+) AUD/.exec((await row.textContent()) ?? "");
  expect(Number(spend?.[1])).toBeGreaterThan(0);
});

test("Stop ends a generation (still recorded), the chat goes on, and the keyboard works as a chat's should", async ({
  page,
}) => {
  await signUp(page);
  await openPlayground(page);

  // Shift+Enter is a new line; Enter sends.
  const box = page.getByLabel("Message");
  await box.fill("first line");
  await box.press("Shift+Enter");
  await box.pressSequentially("second line");
  await expect(box).toHaveValue("first line\nsecond line");
  await box.press("Enter");
  await expect.poll(() => lastReplyText(page)).toBe("Echo: first line\nsecond line");
  await waitForIdle(page);
  await expect(box).toHaveValue("");

  await send(page, words(400, "long"));
  await expect.poll(() => lastReplyText(page), { timeout: 15_000 }).toContain("long5");
  await page.getByRole("button", { name: "Stop" }).click();
  await waitForIdle(page);
  await expect(page.getByText("Stopped")).toBeVisible();
  const stoppedAt = await lastReplyText(page);
  await page.waitForTimeout(500);
  expect(await lastReplyText(page)).toBe(stoppedAt);
  expect(stoppedAt).not.toContain("long399");

  // Multi-turn: the stopped exchange stays in the conversation and the next one answers.
  await send(page, "and after that?");
  await expect.poll(() => lastReplyText(page)).toBe("Echo: and after that?");
  await expect(page.getByRole("list", { name: "Conversation" }).getByRole("listitem")).toHaveCount(
    6,
  );

  // All three requests are recorded and charged, the stopped one for what it produced.
  await expectUsage(page.request, await playgroundKeyId(page.request), 3);

  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page.getByText("Start a conversation")).toBeVisible();
});

test("a phone-sized screen shows the chat first, with nothing wider than the screen", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  await page.goto("/playground");
  // Other specs on the shared server register models that sort first: pick the demo model.
  await page.getByLabel("Model").selectOption("modelbridge/echo");
  await send(page, "hello from a phone");
  await expect.poll(() => lastReplyText(page)).toBe("Echo: hello from a phone");
  const message: Locator = page.getByLabel("Message");
  const parameters = page.getByRole("heading", { name: "Parameters" });
  expect((await message.boundingBox())!.y).toBeLessThan((await parameters.boundingBox())!.y);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
    true,
  );
});
