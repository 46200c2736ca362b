import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { keyRow } from "../helpers/api-keys-page";

/** The create and edit forms carry every control, grouped so the simple case stays short; the row shows what applies. */
test("Limits & access: set every control at create, see them in the row, and find them again in Edit", async ({
  page,
}) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  // The simple case: the controls are tucked away.
  await expect(form.getByLabel("Requests per minute")).toBeHidden();
  await form.getByLabel("Name").fill("limited");
  await form.getByLabel("Spending limit").fill("20");
  await form.getByRole("button", { name: "30 days" }).click();
  const expiry = await form.getByLabel("Expiration").inputValue();
  const days = (Date.parse(expiry) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThan(30.1);

  await form.getByText("Limits & access").click();
  await form.getByRole("checkbox", { name: "modelbridge/echo" }).check();
  await form.getByLabel("Requests per minute").fill("60");
  await form.getByLabel("Tokens per minute").fill("50000");
  await form.getByLabel("Concurrent requests").fill("4");
  await form.getByLabel("Budget period").selectOption("daily");
  await form.getByLabel("IP allowlist").fill("127.0.0.1/32\n::1");
  await form.getByLabel("Alert thresholds (%)").fill("25, 75");
  await form.getByRole("button", { name: "Create", exact: true }).click();

  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const key = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await page
    .getByRole("dialog", { name: "Close without the key?" })
    .getByRole("button", { name: "Yes, close" })
    .click();

  const row = keyRow(page, "limited");
  const controls = row.getByTestId("key-controls");
  await expect(controls).toContainText("modelbridge/echo");
  await expect(controls).toContainText("60 req/min");
  await expect(controls).toContainText("50K tok/min");
  await expect(controls).toContainText("4 at once");
  await expect(controls).toContainText("Daily · resets");
  await expect(controls).toContainText("2 IP ranges");
  await expect(row).toContainText("/ 20.00");

  // What the form set is what the key enforces: /v1/models lists only the allowed model.
  const models = await page.request.get("/v1/models", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect((await models.json()).data.map((m: { id: string }) => m.id)).toEqual(["modelbridge/echo"]);

  await page.getByRole("button", { name: "Actions for limited", exact: true }).click();
  await page.getByRole("menuitem", { name: "Edit", exact: true }).click();
  const edit = page.getByRole("dialog", { name: "Edit API key" });
  // A key with controls set opens with them shown, holding their values.
  await expect(edit.getByLabel("Requests per minute")).toHaveValue("60");
  await expect(edit.getByLabel("Budget period")).toHaveValue("daily");
  await expect(edit.getByLabel("IP allowlist")).toHaveValue("127.0.0.1/32\n::1/128");
  await expect(edit.getByLabel("Alert thresholds (%)")).toHaveValue("25, 75");
  await edit.getByLabel("Requests per minute").fill("");
  // Every bad line is named, by its line, not only the first; the text stays as typed.
  const typed = "10.0.0.1\n10.0.0.300\n10.0.0.2, 10.0.0.3\nabc";
  await edit.getByLabel("IP allowlist").fill(typed);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByLabel("IP allowlist")).toHaveAccessibleDescription(
    "Line 2 (“10.0.0.300”) and line 4 (“abc”) are not IP addresses or CIDR ranges (like 203.0.113.0/24 or 2001:db8::/32).",
  );
  await expect(edit.getByLabel("IP allowlist")).toHaveValue(typed);
  await edit.getByLabel("IP allowlist").fill("");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(controls).not.toContainText("req/min");
  await expect(controls).not.toContainText("IP range");
  await expect(controls).toContainText("50K tok/min");
});

test("Pause and Resume from the row's actions: a paused key is refused with 403 key_paused", async ({
  page,
}) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await form.getByLabel("Name").fill("pausable");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const key = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await page
    .getByRole("dialog", { name: "Close without the key?" })
    .getByRole("button", { name: "Yes, close" })
    .click();

  await page.getByRole("button", { name: "Actions for pausable", exact: true }).click();
  await page.getByRole("menuitem", { name: "Pause", exact: true }).click();
  await expect(keyRow(page, "pausable").locator("[data-status]")).toHaveAttribute(
    "data-status",
    "paused",
  );
  const refused = await page.request.get("/v1/models", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("key_paused");

  await page.getByRole("button", { name: "Actions for pausable", exact: true }).click();
  await page.getByRole("menuitem", { name: "Resume", exact: true }).click();
  await expect(keyRow(page, "pausable").locator("[data-status]")).toHaveAttribute(
    "data-status",
    "active",
  );
  expect(
    (
      await page.request.get("/v1/models", { headers: { authorization: `Bearer ${key}` } })
    ).status(),
  ).toBe(200);
});

test("Roll asks for the grace period, shows the new key once, and the old one keeps working through the grace", async ({
  page,
}) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await form.getByLabel("Name").fill("rollable");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  let shown = page.getByRole("dialog", { name: "Save your API key" });
  const oldKey = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await page
    .getByRole("dialog", { name: "Close without the key?" })
    .getByRole("button", { name: "Yes, close" })
    .click();

  await page.getByRole("button", { name: "Actions for rollable", exact: true }).click();
  await page.getByRole("menuitem", { name: "Roll", exact: true }).click();
  const roll = page.getByRole("dialog", { name: 'Roll "rollable"?' });
  const grace = roll.getByLabel("Grace period");
  await expect(grace.locator("option")).toHaveText([
    "None: the old key stops at once",
    "1 hour",
    "24 hours",
    "7 days",
  ]);
  await grace.selectOption({ label: "24 hours" });
  await roll.getByRole("button", { name: "Roll key" }).click();

  shown = page.getByRole("dialog", { name: "Save your API key" });
  const newKey = await shown.getByLabel("Your new API key").inputValue();
  expect(newKey).toMatch(/^mb_live_/);
  expect(newKey).not.toBe(oldKey);
  await expect(shown.getByText("It will not be shown again.")).toBeVisible();
  await shown.getByRole("button", { name: "Done" }).click();
  await page
    .getByRole("dialog", { name: "Close without the key?" })
    .getByRole("button", { name: "Yes, close" })
    .click();

  const row = keyRow(page, "rollable");
  await expect(row).toContainText(`…${newKey.slice(-4)}`);
  await expect(row.getByTestId("key-controls")).toContainText("Old secret stops working");
  for (const key of [oldKey, newKey]) {
    expect(
      (
        await page.request.get("/v1/models", { headers: { authorization: `Bearer ${key}` } })
      ).status(),
    ).toBe(200);
  }
});
