import { expect, type Locator, type Page } from "@playwright/test";

/** `2027-03-04T05:06` for a datetime-local input, `days` from now in the browser's timezone. */
export function localDateTime(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function keyRow(page: Page, name: string): Locator {
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name, exact: false }) })
    .filter({ hasText: name });
}

/**
 * Fills and submits the create form, then reads the key from the show-once dialog and
 * closes it (with the confirmation). Returns the full key.
 */
export async function createKeyInPage(
  page: Page,
  fields: {
    name: string;
    type?: "Model Serving" | "Management";
    owner?: string;
    limit?: string;
    expiresInDays?: number;
  },
): Promise<string> {
  await page.getByRole("button", { name: "Create API Key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API Key" });
  await dialog.getByLabel("Name").fill(fields.name);
  if (fields.type) await dialog.getByLabel("Type").selectOption({ label: fields.type });
  if (fields.owner) await dialog.getByLabel("Owner").selectOption({ label: fields.owner });
  if (fields.limit) await dialog.getByLabel("Spending limit").fill(fields.limit);
  if (fields.expiresInDays !== undefined)
    await dialog.getByLabel("Expiration").fill(localDateTime(fields.expiresInDays));
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const key = await shown.getByLabel("Your new API key").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  await page
    .getByRole("dialog", { name: "Close without the key?" })
    .getByRole("button", { name: "Yes, close" })
    .click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  return key;
}

/** Opens a row's "⋯" menu (desktop table) and picks Edit, Revoke or Usage. */
export async function rowAction(
  page: Page,
  name: string,
  action: "Edit" | "Revoke" | "Usage",
): Promise<void> {
  await page.getByRole("button", { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole("menuitem", { name: action, exact: true }).click();
}
