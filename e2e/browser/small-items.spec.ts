import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage, keyRow } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

test("a branded 404 with a way back, also for a non-admin at /admin, titled Page not found", async ({
  page,
}) => {
  await signUp(page);
  for (const path of [
    "/no-such-page-here",
    "/admin",
    "/admin/users",
    "/admin/teams",
    "/admin/balances",
    "/admin/settings",
    "/admin/audit-log",
  ]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    // Titled as what it is, not as the admin page it hides nor the bare product name.
    await expect(page).toHaveTitle(/^Page not found( · ModelBridge)?$/);
    await page.getByRole("link", { name: "Back to API Keys" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
  }
});

test("the Name field counts toward its 64 characters; column headers are not shouted", async ({
  page,
}) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await expect(form.getByText("0 / 64 characters")).toBeVisible();
  await form.getByLabel("Name").fill("CI pipeline");
  await expect(form.getByLabel("Name")).toHaveAccessibleDescription("11 / 64 characters");
  await form.getByLabel("Name").fill("x".repeat(70));
  await expect(form.getByText("70 / 64 characters (6 too many)")).toBeVisible();
  await page.keyboard.press("Escape");

  await createKeyInPage(page, { name: "header check" });
  const header = page.getByRole("columnheader", { name: "Key", exact: true });
  expect(await header.evaluate((el) => getComputedStyle(el).textTransform)).toBe("none");
  await expect(header).toHaveText("Key");
});

test("the balance dialog says what each Save saves and confirms in words", async ({ page }) => {
  await signInAsPlatformAdmin(page);
  await page.goto("/admin/balances");
  await page
    .getByRole("button", { name: /^Manage balance of / })
    .first()
    .click();
  const dialog = page.getByRole("dialog", { name: /^Balance of / });
  for (const heading of ["Included usage", "Prepaid credit", "Overage"])
    await expect(dialog.getByRole("heading", { name: heading })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Save included usage" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Add credit" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Save overage" })).toBeVisible();
  await dialog.getByLabel(/^Credit to add/).fill("-1");
  await dialog.getByRole("button", { name: "Add credit" }).click();
  const error = dialog.getByRole("alert").first();
  await expect(error).toBeVisible();
  // Messages start with a capital letter as read on screen.
  const firstLetter = await error.evaluate(
    (el) => getComputedStyle(el, "::first-letter").textTransform,
  );
  expect(firstLetter).toBe("uppercase");
});

test("Custom starts from the range on screen", async ({ page }) => {
  await signUp(page);
  await page.goto("/usage");
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page).toHaveURL(/range=7/);
  await page.getByRole("button", { name: "Custom" }).click();
  const today = new Date();
  const from = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 6),
  )
    .toISOString()
    .slice(0, 10);
  await expect(page.getByLabel("From")).toHaveValue(from);
  await expect(page.getByLabel("To")).toHaveValue(today.toISOString().slice(0, 10));
});

test("the Playground's own key is marked as such and not counted against the cap", async ({
  page,
}) => {
  await signUp(page);
  const chat = await page.request.post("/api/playground/chat", {
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] },
    headers: sameOrigin(),
  });
  expect(chat.status()).toBe(200);
  await chat.body();
  await page.reload();
  await expect(keyRow(page, "Playground")).toContainText("Used by the Playground");
  // It is the Playground's tool, not one of the user's keys: it takes no place under the cap.
  await expect(page.getByTestId("active-key-counter")).toHaveText("0 / 50 active");
});

test("a Management key's row says it is not charged, not “0.00 AUD · No limit”", async ({
  page,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "automation only", type: "management" },
    headers: sameOrigin(),
  });
  expect(created.status()).toBe(201);
  await page.reload();
  const row = keyRow(page, "automation only");
  await expect(row.getByTestId("spend-not-charged")).toHaveText("Not chargedManagement key");
  await expect(row).not.toContainText("No limit");
});
