import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage, keyRow, localDateTime, rowAction } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";

test("a new user creates a key, sees it once, copies it, finds it masked, edits its limit and revokes it", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signUp(page);
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await expect(form.getByLabel("Type")).toHaveValue("model_serving");
  await expect(form.getByLabel("Owner")).toHaveValue("personal");
  await form.getByLabel("Name").fill("CI pipeline");
  await form.getByLabel("Spending limit").fill("10");
  await form.getByLabel("Expiration").fill(localDateTime(30));
  await form.getByRole("button", { name: "Create", exact: true }).click();

  const shown = page.getByRole("dialog", { name: "Save your API key" });
  await expect(shown.getByText("It will not be shown again")).toBeVisible();
  const key = await shown.getByLabel("Your new API key").inputValue();
  expect(key).toMatch(/^mb_live_[0-9A-Za-z]{38}$/);
  const curl = shown.getByLabel("curl command");
  await expect(curl).toContainText(`${baseURL}/v1/chat/completions`);
  await expect(curl).toContainText(`Bearer ${key}`);
  await expect(curl).toContainText("modelbridge/echo");

  // Closing before copying asks first; going back shows the key again.
  await page.keyboard.press("Escape");
  const confirm = page.getByRole("dialog", { name: "Close without the key?" });
  await confirm.getByRole("button", { name: "Back to the key" }).click();
  await expect(shown.getByLabel("Your new API key")).toHaveValue(key);

  await shown.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(shown.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  // Once copied, Done closes without a second question.
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The key works, and the list shows it masked only.
  const chat = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "hello" }] },
  });
  expect(chat.status()).toBe(200);

  const row = keyRow(page, "CI pipeline");
  await expect(row).toContainText(`mb_live_…${key.slice(-4)}`);
  await expect(row).toContainText("Active");
  await expect(row).toContainText("/ 10.00 AUD");
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(row).toContainText(`mb_live_…${key.slice(-4)}`);
  expect(await page.content()).not.toContain(key);
  await page.reload();
  expect(await page.content()).not.toContain(key);

  await rowAction(page, "CI pipeline", "Edit");
  const edit = page.getByRole("dialog", { name: "Edit API key" });
  await expect(edit.getByLabel("Spending limit")).toHaveValue("10.00");
  await edit.getByLabel("Spending limit").fill("25.50");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  await expect(row).toContainText("/ 25.50 AUD");

  await rowAction(page, "CI pipeline", "Revoke");
  const revoke = page.getByRole("dialog", { name: 'Revoke "CI pipeline"?' });
  await expect(revoke).toContainText("cannot be undone");
  await revoke.getByRole("button", { name: "Revoke API Key" }).click();
  await expect(revoke).toHaveCount(0);
  // Revoked keys are hidden until the filter asks for them; then only Usage is left to do.
  await expect(row).toHaveCount(0);
  await page.getByLabel("Status").selectOption("revoked");
  await expect(row).toContainText("Revoked");
  await page.getByRole("button", { name: "Actions for CI pipeline" }).click();
  await expect(page.getByRole("menuitem")).toHaveText(["Usage"]);
  await page.keyboard.press("Escape");

  const refused = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "hello" }] },
  });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("key_revoked");
});

test("the create form shows each error next to its field", async ({ page }) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await form.getByLabel("Spending limit").fill("-3");
  await form.getByLabel("Expiration").fill(localDateTime(-1));
  await form.getByRole("button", { name: "Create", exact: true }).click();

  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Name")).toHaveAccessibleDescription("Enter a name");
  await expect(form.getByLabel("Spending limit")).toHaveAccessibleDescription(
    "Enter a positive amount, like 12.50",
  );
  await expect(form.getByLabel("Expiration")).toHaveAccessibleDescription(
    "The expiry must be in the future",
  );

  await form.getByLabel("Name").fill("x".repeat(65));
  await form.getByLabel("Spending limit").fill("0");
  await form.getByLabel("Expiration").fill("");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  await expect(form.getByLabel("Name")).toHaveAccessibleDescription(
    "Name must be at most 64 characters",
  );
  await expect(form.getByLabel("Spending limit")).toHaveAccessibleDescription(
    "Enter a positive amount, like 12.50",
  );
  await expect(form.getByLabel("Expiration")).not.toHaveAttribute("aria-invalid", "true");

  // Management keys are personal: the owner is fixed.
  await form.getByLabel("Type").selectOption({ label: "Management" });
  await expect(form.getByLabel("Owner")).toBeDisabled();
  await expect(form.getByText("A Management key is always personal")).toBeVisible();
});

test("search, status filter and sorting narrow the list", async ({ page }) => {
  await signUp(page);
  await createKeyInPage(page, { name: "alpha laptop" });
  await createKeyInPage(page, { name: "beta ci" });
  await createKeyInPage(page, { name: "gamma bot", type: "Management" });
  await rowAction(page, "beta ci", "Revoke");
  await page.getByRole("button", { name: "Revoke API Key" }).click();
  await expect(keyRow(page, "beta ci")).toHaveCount(0);
  await page.getByLabel("Status").selectOption("");
  await expect(keyRow(page, "beta ci")).toContainText("Revoked");

  const names = () =>
    page
      .getByRole("row")
      .filter({ has: page.getByRole("cell") })
      .locator("td:first-child");
  await expect(names()).toHaveText([/gamma bot/, /beta ci/, /alpha laptop/]);
  await page.getByRole("button", { name: "Name" }).click();
  await expect(names()).toHaveText([/alpha laptop/, /beta ci/, /gamma bot/]);

  await page.getByLabel("Search").fill("LAPTOP");
  await expect(names()).toHaveText([/alpha laptop/]);
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Status").selectOption("revoked");
  await expect(names()).toHaveText([/beta ci/]);
  await page.getByLabel("Search").fill("nothing like this");
  await expect(page.getByText("No keys match your search and filter.")).toBeVisible();
});

test("the cap of active keys is explained in the form", async ({ page }) => {
  await signUp(page);
  // Fill the account to its cap (50) through the session API, as the page's own origin.
  for (let i = 0; i < 50; i++) {
    const response = await page.request.post("/api/v1/keys", {
      data: { name: `bulk ${i}` },
      headers: sameOrigin(),
    });
    expect(response.status()).toBe(201);
  }
  await page.reload();
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  // Issue 31: Create is disabled at the cap, and the form says why (the server refuses too).
  await expect(form.getByText(/already has 50 active keys/)).toContainText(
    "Revoke a key you no longer use",
  );
  await expect(form.getByRole("button", { name: "Create", exact: true })).toBeDisabled();
  const refused = await page.request.post("/api/v1/keys", {
    data: { name: "one too many" },
    headers: sameOrigin(),
  });
  expect(refused.status()).toBe(409);
});

test("works at phone width: keys become cards, nothing overflows, dialogs fit", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUp(page);
  const key = await createKeyInPage(page, { name: "phone key", limit: "5" });
  await expect(page.getByRole("table")).toBeHidden();
  const card = page
    .getByRole("list", { name: "API keys" })
    .getByRole("listitem")
    .filter({ hasText: "phone key" });
  await expect(card).toContainText(`mb_live_…${key.slice(-4)}`);
  await expect(card).toContainText("Active");
  await expect(card).toContainText("/ 5.00 AUD");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await card.getByRole("button", { name: "Edit" }).click();
  const box = await page.getByRole("dialog", { name: "Edit API key" }).boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await page.keyboard.press("Escape");
  await card.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("button", { name: "Revoke API Key" }).click();
  await expect(card).toHaveCount(0);
  await page.getByLabel("Status").selectOption("revoked");
  await expect(card).toContainText("Revoked");
});

test("keyboard only: open the form, create, and close the show-once dialog", async ({ page }) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).focus();
  await page.keyboard.press("Enter");
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await expect(form.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("keyboard key");
  await page.keyboard.press("Enter");
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  await expect(shown).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Close without the key?" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(shown).toBeVisible();
});
