import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage, rowAction } from "../helpers/api-keys-page";

/** Every change says it happened, and focus goes back to the control that opened its dialog. */
test("edit, revoke, create key and create team each confirm with a toast; focus returns to the opener", async ({
  page,
}) => {
  await signUp(page);
  await createKeyInPage(page, { name: "feedback key" });
  await expect(page.getByText('Created "feedback key".')).toBeVisible();
  // The show-once dialog was opened by Create API Key: focus is back there.
  await expect(page.getByRole("button", { name: "Create API Key" })).toBeFocused();

  await rowAction(page, "feedback key", "Edit");
  const edit = page.getByRole("dialog", { name: "Edit API key" });
  await edit.getByLabel("Name").fill("feedback key renamed");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toHaveCount(0);
  await expect(page.getByText('Saved the changes to "feedback key renamed".')).toBeVisible();
  await expect(
    page.getByRole("button", { name: "Actions for feedback key renamed" }),
  ).toBeFocused();

  // Cancelling also returns focus to the row's menu button.
  await rowAction(page, "feedback key renamed", "Edit");
  await page.keyboard.press("Escape");
  await expect(
    page.getByRole("button", { name: "Actions for feedback key renamed" }),
  ).toBeFocused();

  await rowAction(page, "feedback key renamed", "Revoke");
  await page.getByRole("button", { name: "Revoke API Key" }).click();
  await expect(
    page.getByText('Revoked "feedback key renamed". Requests with it are now refused.'),
  ).toBeVisible();
  // The row is gone from the default view: focus lands on Create API Key, not on the page's body.
  await expect(page.getByRole("button", { name: "Create API Key" })).toBeFocused();

  await page.goto("/settings/teams");
  await page.getByLabel("Team name").fill("Feedback team");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText('Created the team "Feedback team".')).toBeVisible();
});
