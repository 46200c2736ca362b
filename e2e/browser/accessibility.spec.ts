import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage, rowAction } from "../helpers/api-keys-page";

/** A skip link first, only counts announced (not the whole list), and focus back where it was after a dialog. */
test("skip link, a live region with counts only, and focus returned after dialogs", async ({
  page,
}) => {
  await signUp(page);
  await createKeyInPage(page, { name: "a11y one" });
  await createKeyInPage(page, { name: "a11y two" });

  // On a fresh load, the first Tab reaches "Skip to content", which moves focus into the page's main region.
  await page.reload();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();

  // No live region holds the table; the one that speaks says counts.
  const liveAroundTable = await page
    .getByRole("table")
    .evaluate((table) => Boolean(table.closest("[aria-live]")));
  expect(liveAroundTable).toBe(false);
  const status = page.getByRole("status").filter({ hasText: "Showing" });
  await expect(status).toHaveText("Showing 2 of 2 keys");
  await page.getByLabel("Search").fill("one");
  await expect(status).toHaveText("Showing 1 of 2 keys");
  expect(((await status.textContent()) ?? "").length).toBeLessThan(60);
  await page.getByLabel("Search").fill("");

  // Keyboard only: open a row's menu, pick Edit, close with Escape, and focus is back on the menu button.
  const menuButton = page.getByRole("button", { name: "Actions for a11y two" });
  await menuButton.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: "Usage" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitem", { name: "Edit" })).toBeFocused();
  await page.keyboard.press("Enter");
  const edit = page.getByRole("dialog", { name: "Edit API key" });
  await expect(edit.getByLabel("Name")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(edit).toHaveCount(0);
  await expect(menuButton).toBeFocused();

  // The same after Revoke is cancelled.
  await rowAction(page, "a11y one", "Revoke");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("button", { name: "Actions for a11y one" })).toBeFocused();
});
