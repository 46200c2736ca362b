import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { signIn, signUp } from "../helpers/accounts";
import { expectNoSeriousAxeViolations } from "../helpers/axe";
import { sameOrigin } from "../helpers/management";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * Usage → Requests and Admin → Requests as people use them (PRODUCT.md, "Seeing every
 * request"): a failover, an error and a stream show up; the filters and paging work; the
 * detail lists the attempts; another user can open neither the page nor the API of a request
 * that is not theirs. With MB_SHOTS_DIR set, the pages are photographed at desktop and phone.
 */
const shotsDir = process.env.MB_SHOTS_DIR;
const t = randomBytes(3).toString("hex");
let upstream: FakeUpstream;
let admin: BrowserContext;

test.describe.configure({ mode: "serial" });
// Many steps (two users, an admin, a dozen requests, every filter, axe): minutes on a busy machine.
test.setTimeout(360_000);

test.beforeAll(async ({ browser }) => {
  upstream = await startFakeUpstream();
  admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await signIn(await admin.newPage(), platformAdminAccount());
  for (const [name, model, fallbacks] of [
    [`rq-fb-${t}`, `fault:ok:rq${t}`, []],
    [`rq-primary-${t}`, `fault:503:rq${t}`, [`rq-fb-${t}`]],
  ] as const) {
    const response = await admin.request.post("/api/v1/models", {
      headers: sameOrigin(),
      data: {
        name,
        base_url: upstream.url,
        upstream_model: model,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
        first_byte_timeout_ms: 2_000,
        fallbacks,
      },
    });
    expect(response.status(), await response.text()).toBe(201);
  }
});

test.afterAll(async () => {
  await upstream?.stop();
  await admin?.close();
});

/** Desktop and phone, each in the light and the dark theme (the default theme follows the system's). */
async function shoot(page: Page, name: string) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  const desktop = page.viewportSize() ?? { width: 1366, height: 900 };
  for (const [size, viewport] of [
    ["desktop", desktop],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({
        path: path.join(shotsDir, `${name}-${size}-${colorScheme}.png`),
        fullPage: true,
      });
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize(desktop);
}

async function servingKey(page: Page): Promise<string> {
  const response = await page.request.post("/api/v1/keys", {
    data: { name: "Agent" },
    headers: sameOrigin(),
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

const sdk = (key: string) =>
  new OpenAI({ baseURL: `${process.env.MB_BASE_URL}/v1`, apiKey: key, maxRetries: 0 });
const ask = (key: string, model: string, content = "hello") =>
  sdk(key).chat.completions.create({ model, messages: [{ role: "user", content }] });

const rows = (page: Page) =>
  page.getByRole("table", { name: "Requests" }).getByTestId("request-row");

/** Usage rows are written in batches (about once a second): reload until all are there. */
async function waitForRows(page: Page, url: string, count: number) {
  await expect(async () => {
    await page.goto(url);
    await expect(rows(page)).toHaveCount(count, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

/**
 * The one request's row, once it says "payload". The payload is written by its own sink on
 * its own timer, so the usage row can be listed a moment before it: reload until both are.
 */
async function waitForCapturedRow(page: Page) {
  await expect(async () => {
    await page.goto("/usage/requests");
    await expect(rows(page)).toHaveCount(1, { timeout: 1_000 });
    await expect(rows(page)).toContainText("payload", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test("a user filters and pages their requests and opens one with its attempts; nobody else can", async ({
  page,
  browser,
}) => {
  const account = await signUp(page);
  const key = await servingKey(page);
  // Oldest first: a failover answered by the fallback, an unknown model, then ten echoes.
  await ask(key, `rq-primary-${t}`);
  await expect(ask(key, `rq-missing-${t}`)).rejects.toMatchObject({ status: 404 });
  for (let i = 0; i < 10; i++) await ask(key, "modelbridge/echo", `question ${i}`);

  await page.goto("/usage");
  await page
    .getByRole("navigation", { name: "Usage sections" })
    .getByRole("link", { name: "Requests" })
    .click();
  await expect(page).toHaveURL(/\/usage\/requests$/);
  await waitForRows(page, "/usage/requests", 12);
  await shoot(page, "requests-list");

  // Filters, on the server: errors only, then one model.
  await page.getByRole("combobox", { name: /^Status/ }).selectOption("error");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText("404");
  await expect(rows(page)).toContainText(`rq-missing-${t}`);
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/usage\/requests$/);
  await expect(rows(page)).toHaveCount(12);
  await page.getByRole("combobox", { name: /^Model/ }).selectOption(`rq-fb-${t}`);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText("2 attempts");

  // The deployment that answered, an error code, and "Costlier than" (the echoes are free).
  // Clear navigates on the client; the form remounts with the new URL's filters.
  const clear = async () => {
    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/usage\/requests$/);
    await expect(rows(page)).toHaveCount(12);
  };
  await clear();
  const deployment = page.getByRole("combobox", { name: /^Deployment/ });
  const fallback = await deployment
    .locator("option", { hasText: `rq-fb-${t} · ` })
    .getAttribute("value");
  await deployment.selectOption(fallback!);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`rq-fb-${t}`);
  await clear();
  await page.getByLabel("Error code").fill("model_not_found");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`rq-missing-${t}`);
  await clear();
  const costlier = page.getByLabel(/^Costlier than/);
  await costlier.fill("a lot");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(costlier).toHaveAttribute("aria-invalid", "true");
  await expect(costlier).toHaveValue("a lot");
  await expect(costlier).toHaveAccessibleDescription("Enter an amount like 0.01");
  await expect(rows(page)).toHaveCount(0);
  // At the failover's own cost: it stays, the refused request (nothing charged) goes, and
  // so does every echo that cost less.
  const listed = (
    (await (await page.request.get("/api/v1/requests?limit=50")).json()) as {
      data: { model: string; cost: string }[];
    }
  ).data;
  const failover = listed.find((r) => r.model === `rq-fb-${t}`)!;
  const expected = listed.filter((r) => Number(r.cost) >= Number(failover.cost)).length;
  expect(expected).toBeLessThan(12);
  await costlier.fill(failover.cost);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows(page)).toHaveCount(expected);
  await expect(page.getByRole("table", { name: "Requests" })).toContainText(`rq-fb-${t}`);
  await expect(page.getByRole("table", { name: "Requests" })).not.toContainText(`rq-missing-${t}`);
  // Only Admin → Requests filters by user.
  await expect(page.getByLabel("User (email)")).toHaveCount(0);

  // Paging: ten a page, the older two on the next, and back.
  await page.goto("/usage/requests?per=10");
  await expect(rows(page)).toHaveCount(10);
  await expect(rows(page).first()).toContainText("modelbridge/echo");
  await page.getByRole("link", { name: "Older requests" }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText(`rq-missing-${t}`);
  await expect(rows(page).last()).toContainText(`rq-fb-${t}`);
  await expect(page.getByRole("link", { name: "Older requests" })).toHaveCount(0);

  // The failover's detail: asked and answering model, both attempts, tokens and cost.
  await rows(page).last().getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Request", level: 1 })).toBeVisible();
  const overview = page.getByRole("region", { name: "Overview" });
  await expect(overview).toContainText(`rq-primary-${t}`);
  await expect(overview).toContainText(`rq-fb-${t}`);
  await expect(overview).toContainText("fallback");
  const attempts = page.getByRole("table", { name: "Attempts" }).getByTestId("attempt");
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText("server_error");
  await expect(attempts.nth(0)).toContainText("503");
  await expect(attempts.nth(1)).toContainText("ok");
  await expect(page.getByRole("table", { name: "How the cost was derived" })).toContainText("2.00");
  await expect(page.getByRole("region", { name: "Payload" })).toContainText("Not captured");
  await shoot(page, "request-detail");
  const detailUrl = page.url();
  const id = detailUrl.split("/").pop()!;

  // Another user: neither the page nor the API shows it, and their list is empty.
  const other = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const stranger = await other.newPage();
  await signUp(stranger);
  await stranger.goto(`/usage/requests/${id}`);
  await expect(stranger.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(stranger.getByText(`rq-primary-${t}`)).toHaveCount(0);
  const api = await stranger.request.get(`/api/v1/requests/${id}`);
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain(`rq-fb-${t}`);
  await stranger.goto("/admin/requests");
  await expect(stranger.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await stranger.goto("/usage/requests");
  await expect(stranger.getByText("No requests yet.")).toBeVisible();
  await other.close();

  // The platform admin finds it under Admin → Requests by its request id.
  const adminPage = await admin.newPage();
  const requestId = (
    (await (await page.request.get(`/api/v1/requests/${id}`)).json()) as { request_id: string }
  ).request_id;
  await adminPage.goto("/admin/requests");
  // By the user who created the key: an unknown email is said next to the field.
  const user = adminPage.getByLabel("User (email)");
  await user.fill(`nobody-${t}@example.test`);
  await adminPage.getByRole("button", { name: "Filter" }).click();
  await expect(user).toHaveAccessibleDescription("No user has this email.");
  await expectNoSeriousAxeViolations(adminPage);
  await user.fill(account.email);
  await adminPage.getByRole("button", { name: "Filter" }).click();
  await expect(rows(adminPage)).toHaveCount(12);
  await adminPage.goto("/admin/requests");
  await adminPage.getByLabel("Request ID").fill(requestId);
  await adminPage.getByRole("button", { name: "Filter" }).click();
  await expect(rows(adminPage)).toHaveCount(1);
  await shoot(adminPage, "admin-requests");
  await rows(adminPage).getByRole("link").click();
  await expect(
    adminPage.getByRole("table", { name: "Attempts" }).getByTestId("attempt"),
  ).toHaveCount(2);
  await adminPage.close();
});

test("an admin turns payload capture on for a key: its row says so, and the request's detail shows the payload", async ({
  page,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "Logged agent" },
    headers: sameOrigin(),
  });
  const { id: keyId, key } = (await created.json()) as { id: string; key: string };
  // A user may not switch it on; a platform admin may, on anyone's key.
  const refused = await page.request.patch(`/api/v1/keys/${keyId}`, {
    data: { payload_capture: { enabled: true, sample_rate: 1 } },
    headers: sameOrigin(),
  });
  expect(refused.status()).toBe(403);
  const set = await admin.request.patch(`/api/v1/keys/${keyId}`, {
    data: { payload_capture: { enabled: true, sample_rate: 1 } },
    headers: sameOrigin(),
  });
  expect(set.status(), await set.text()).toBe(200);

  await page.goto("/settings/api-keys");
  await expect(page.getByText("Traffic logged").first()).toBeVisible();
  await ask(key, "modelbridge/echo", "remember the payload words");
  await waitForCapturedRow(page);
  await rows(page).getByRole("link").click();
  const payload = page.getByRole("region", { name: "Payload" });
  await expect(payload).toContainText("remember the payload words");
  await expect(payload).toContainText("Response body");
  await expect(payload).not.toContainText(key);
  await expect(payload).not.toContainText("authorization");
  await shoot(page, "request-detail-payload");
});

test("an admin turns payload capture on instance-wide from Admin → Settings; a user sees the payload and no controls", async ({
  page,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "Everyday agent" },
    headers: sameOrigin(),
  });
  const { id: keyId, key } = (await created.json()) as { id: string; key: string };

  // The key's owner is no platform admin: no capture controls on the key's page, no Admin → Settings.
  await page.goto(`/settings/api-keys/${keyId}`);
  await expect(page.getByRole("heading", { name: "Everyday agent", level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Payload capture" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save payload capture" })).toHaveCount(0);
  await page.goto("/admin/settings");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  const settings = await admin.newPage();
  await settings.goto("/admin/settings");
  const capture = settings.getByRole("group", { name: "Payload capture" });
  await expect(capture).toBeVisible();
  await expectNoSeriousAxeViolations(settings);
  // A rate that is no percentage is refused next to its field.
  await capture.getByRole("radio", { name: /^On/ }).check();
  await capture.getByLabel("Sample rate (% of requests)").fill("250");
  await settings.getByRole("button", { name: "Save payload capture" }).click();
  await expect(settings.getByText("Enter a percentage from 0 to 100, like 25")).toBeVisible();
  await expect(capture.getByLabel("Sample rate (% of requests)")).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expectNoSeriousAxeViolations(settings);
  await capture.getByLabel("Sample rate (% of requests)").fill("100");
  await settings.getByRole("button", { name: "Save payload capture" }).click();
  await expect(settings.getByText("Payload capture saved.")).toBeVisible();
  await shoot(settings, "admin-settings-capture");
  try {
    await settings.reload();
    await expect(capture.getByRole("radio", { name: /^On/ })).toBeChecked();

    // The same controls on a key's page (the admin's own key here: a key page opens only
    // for those who may see the key) and on Admin → Teams.
    const own = await admin.request.post("/api/v1/keys", {
      data: { name: `Admin agent ${t}` },
      headers: sameOrigin(),
    });
    expect(own.status(), await own.text()).toBe(201);
    await settings.goto(`/settings/api-keys/${((await own.json()) as { id: string }).id}`);
    const keyCapture = settings.getByRole("group", { name: "Payload capture" });
    await expect(keyCapture.getByRole("radio", { name: /^Inherit/ })).toBeChecked();
    await expectNoSeriousAxeViolations(settings);
    await shoot(settings, "key-capture");
    await settings.goto("/admin/teams");
    await expectNoSeriousAxeViolations(settings);

    await sdk(key).chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "captured by the instance setting" }],
    });
    await waitForCapturedRow(page);
    await rows(page).getByRole("link").click();
    const payload = page.getByRole("region", { name: "Payload" });
    await expect(payload).toContainText("captured by the instance setting");
    await expect(payload).not.toContainText(key);
    await expectNoSeriousAxeViolations(page);
  } finally {
    // Back off, through the form, so that no other spec's requests are captured.
    await settings.goto("/admin/settings");
    await capture.getByRole("radio", { name: /^Off/ }).check();
    await settings.getByRole("button", { name: "Save payload capture" }).click();
    await expect(settings.getByText("Payload capture saved.")).toBeVisible();
    await settings.close();
  }
});
