import fs from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/**
 * Usage and balances as people use them: traffic from a key shows on the Usage page and in
 * its CSV; an admin's balance change decides whether /v1 serves that key's next request.
 * With MB_SHOTS_DIR set, each page is also photographed at desktop and phone width.
 */
const shotsDir = process.env.MB_SHOTS_DIR;

async function shoot(page: Page, name: string) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  const desktop = page.viewportSize() ?? { width: 1366, height: 900 };
  await page.screenshot({ path: path.join(shotsDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300); // charts re-measure on resize
  await page.screenshot({ path: path.join(shotsDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(desktop);
}

async function createKey(
  page: Page,
  name: string,
  teamId?: string,
): Promise<{ id: string; key: string }> {
  const response = await page.request.post("/api/v1/keys", {
    data: { name, ...(teamId ? { team_id: teamId } : {}) },
    headers: sameOrigin(),
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

const sdk = (key: string) =>
  new OpenAI({ baseURL: `${process.env.MB_BASE_URL}/v1`, apiKey: key, maxRetries: 0 });
const hello = (key: string, content = "hello usage") =>
  sdk(key).chat.completions.create({
    model: "modelbridge/echo",
    messages: [{ role: "user", content }],
    max_tokens: 16,
  });

/**
 * Usage rows are written in batches (about once a second): reload until the table has
 * exactly `count` requests, which must be every request the test made with its keys, refused
 * ones included (each is recorded). Then load the page once more: its sections are read by
 * queries that run side by side, so the render that first showed the last row may have read
 * the totals or the balance just before that flush committed.
 */
async function waitForRequests(page: Page, url: string, count: number) {
  await expect(async () => {
    await page.goto(url);
    await expect(page.getByRole("table", { name: "Recent requests" }).getByRole("row")).toHaveCount(
      count + 1,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 20_000 });
  await page.goto(url);
  await expect(page.getByRole("table", { name: "Recent requests" }).getByRole("row")).toHaveCount(
    count + 1,
  );
}

test("a new account sees an empty Usage page that says what to do", async ({ page }) => {
  await signUp(page);
  await page
    .getByRole("navigation", { name: "Main" })
    .first()
    .getByRole("link", { name: "Usage" })
    .click();
  await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
  await expect(page.getByText("No requests in the last 30 days")).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an API key" })).toBeVisible();
  await expect(page.getByText("Prepaid credit left")).toBeVisible();
  await shoot(page, "usage-empty");
});

test("a request made with a key shows on the Usage page, per key and model, and in the CSV export", async ({
  page,
}) => {
  await signUp(page);
  const ci = await createKey(page, "CI, nightly");
  const other = await createKey(page, "Notebook");
  await hello(ci.key);
  await hello(ci.key, "a second, longer question for the echo model");
  await hello(other.key);

  await waitForRequests(page, "/usage", 3);
  const totals = page.getByRole("region", { name: /Totals/ });
  await expect(totals.getByText("Requests")).toBeVisible();
  await expect(totals).toContainText("3");
  const byKey = page.getByRole("table", { name: "Usage by key" });
  await expect(byKey.getByRole("row", { name: /CI, nightly/ })).toContainText("2");
  await expect(byKey.getByRole("row", { name: /Notebook/ })).toContainText("1");
  await expect(page.getByRole("table", { name: "Usage by model" })).toContainText(
    "modelbridge/echo",
  );
  await expect(
    page
      .getByRole("figure")
      .filter({ hasText: "Spend (AUD)" })
      .locator(".recharts-bar-rectangle")
      .first(),
  ).toBeVisible();
  await shoot(page, "usage-data");

  // A key's own usage: the by-key link, the same URL the API Keys list links to.
  await byKey.getByRole("link", { name: "CI, nightly" }).click();
  await expect(page).toHaveURL(new RegExp(`/usage\\?key=${ci.id}`));
  await expect(page.getByText("Key: CI, nightly")).toBeVisible();
  await expect(page.getByRole("table", { name: "Recent requests" }).getByRole("row")).toHaveCount(
    3,
  );
  await shoot(page, "usage-one-key");

  // Range presets keep the key; the CSV has the key's rows and only them.
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7/);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^usage-key-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = fs
    .readFileSync(await download.path(), "utf8")
    .trimEnd()
    .split("\r\n");
  expect(csv[0]).toMatch(/^time,request_id,key_id,key_name,key,model,/);
  expect(csv).toHaveLength(3);
  for (const line of csv.slice(1)) {
    expect(line).toContain(
      `${ci.id},"CI, nightly",mb_live_…${ci.key.slice(-4)},modelbridge/echo,chat.completions,false,200,`,
    );
  }

  // Custom days: today only still has everything; the export link carries the dates.
  await page.getByRole("button", { name: "Custom" }).click();
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill(today);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${today}&to=${today}`));
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    new RegExp(`key_id=${ci.id}.*from=${today}&to=${today}`),
  );
  await expect(page.getByRole("table", { name: "Recent requests" }).getByRole("row")).toHaveCount(
    3,
  );

  // Someone else cannot read this key's usage or export it.
  const stranger = await page.context().browser()!.newPage({ baseURL: process.env.MB_BASE_URL });
  await signUp(stranger);
  await stranger.goto(`/usage?key=${ci.id}`);
  await expect(stranger.getByRole("main").getByRole("alert")).toContainText(
    "That key does not exist or is not yours to see",
  );
  await expect(stranger.getByText("No requests in the last 30 days")).toBeVisible();
  const refused = await stranger.request.get(`/api/v1/usage/export?key_id=${ci.id}`);
  expect(refused.status()).toBe(404);
  await stranger.close();
});

test("an admin sets a balance: overage off refuses /v1 with 402, credit lets it through, the user sees the breakdown", async ({
  page,
  browser,
}) => {
  // The user, with a key and a team.
  const user = await signUp(page);
  const { key } = await createKey(page, "Billing probe");
  const team = await page.request.post("/api/v1/teams", {
    data: { name: `Billing ${user.email.slice(7, 17)}` },
    headers: sameOrigin(),
  });
  expect(team.status()).toBe(201);
  const teamName = (await team.json()).name as string;

  const adminContext = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const admin = await adminContext.newPage();
  await signInAsPlatformAdmin(admin);
  await admin.goto("/admin/balances");
  await admin.getByRole("searchbox", { name: "Search users and teams" }).fill(user.email);
  await admin.getByRole("searchbox", { name: "Search users and teams" }).press("Enter");
  await expect(admin.getByRole("row")).toHaveCount(2);
  await admin.getByRole("button", { name: `Manage balance of ${user.name}` }).click();
  const dialog = admin.getByRole("dialog", { name: `Balance of ${user.name}` });
  await dialog.getByLabel("Refuse requests (402 insufficient_balance)").check();
  await dialog.getByRole("button", { name: "Save overage" }).click();
  await expect(dialog.getByRole("status")).toContainText(
    `Overage for ${user.name} is now refused.`,
  );

  // Nothing included, no credit, overage off: the next request is refused.
  const refused = await hello(key).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(OpenAI.APIError);
  expect(refused).toMatchObject({ status: 402, code: "insufficient_balance" });

  // A bad amount is named next to its field; a good one is added, with its note.
  await dialog.getByLabel("Credit to add (AUD)").fill("-3");
  await dialog.getByRole("button", { name: "Add credit" }).click();
  await expect(dialog.getByText("Enter a positive amount, like 12.50")).toBeVisible();
  await dialog.getByLabel("Credit to add (AUD)").fill("5");
  await dialog.getByLabel("Note").fill("Welcome credit");
  await dialog.getByRole("button", { name: "Add credit" }).click();
  await expect(dialog.getByRole("status")).toContainText(
    `Added 5.00 AUD of prepaid credit to ${user.name}.`,
  );
  await dialog.getByLabel("Included monthly usage (AUD)").fill("2.50");
  await dialog.getByRole("button", { name: "Save included usage" }).click();
  await expect(dialog.getByRole("status")).toContainText(
    `Included monthly usage of ${user.name} is now 2.50 AUD.`,
  );
  await shoot(admin, "admin-balance-dialog");
  await admin.keyboard.press("Escape");
  const row = admin.getByRole("row", { name: new RegExp(user.name) });
  await expect(row).toContainText("2.50");
  await expect(row).toContainText("5.00");
  await shoot(admin, "admin-balances-data");

  // Served at once (the gateway's cached balance was dropped), charged to included usage first.
  expect((await hello(key)).choices[0].message.content).toContain("hello usage");
  // Both requests are on the user's page, newest first: the served one, and the refused one
  // (every request is recorded, refusals too).
  await waitForRequests(page, "/usage", 2);
  const [served, refusedRow] = [1, 2].map((n) =>
    page.getByRole("table", { name: "Recent requests" }).getByRole("row").nth(n).getByRole("cell"),
  );
  await expect(served.nth(3)).toHaveText("200");
  await expect(served.nth(8)).toHaveText("/v1/chat/completions");
  await expect(refusedRow.nth(3)).toHaveText(/^402\s*insufficient_balance$/);
  // One format down the Cost column (issue 31): a refusal costs nothing, in the column's decimals.
  await expect(refusedRow.nth(6)).toHaveText(/^0\.0{2,6}$/);
  const cost = (await served.nth(6).textContent())?.trim() ?? "";
  expect(cost).toMatch(/^0\.0*[1-9]\d*$/); // charged: a few millionths for a short echo answer
  // Its cost came out of included usage; the credit is untouched. Written in the same
  // transaction as its row, so this page already shows it.
  const balance = page.getByRole("region", { name: /Balance/ });
  await expect(balance.getByText("Prepaid credit left")).toBeVisible();
  await expect(balance).toContainText(`${cost} of 2.50 used`);
  await expect(balance).toContainText("5.00");
  await expect(balance).toContainText("Overage is off");

  // Admin → Teams lists the user's team with its admin.
  await admin.goto(`/admin/teams?q=${encodeURIComponent(teamName)}`);
  const card = admin.getByRole("region", { name: teamName });
  await expect(card).toContainText(user.name);
  await expect(card).toContainText("Team admin");
  await shoot(admin, "admin-teams-data");
  await admin.goto("/admin/teams?q=no-such-team-anywhere");
  await expect(admin.getByText("No teams match")).toBeVisible();
  await shoot(admin, "admin-teams-empty");
  await admin.goto("/admin/balances?q=no-such-owner-anywhere");
  await expect(admin.getByText("No users or teams match")).toBeVisible();
  await shoot(admin, "admin-balances-empty");
  await adminContext.close();
});
