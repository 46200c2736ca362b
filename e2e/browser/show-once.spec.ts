import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { expectContentFits, PHONE } from "../helpers/layout";

/** The show-once dialog: a curl that works as pasted, its own Copy, no cut-off line, and no second question once copied. */
test("the show-once curl names an enabled model, wraps, has its own Copy, and closing after a copy does not ask again", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await form.getByLabel("Name").fill("show once");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "Save your API key" });
  const key = await shown.getByLabel("Your new API key").inputValue();

  // The model in the example is one /v1/models lists for this key, i.e. enabled and allowed.
  const curl = shown.getByLabel("curl command");
  const text = (await curl.textContent()) ?? "";
  const model = /"model":"([^"]+)"/.exec(text)?.[1];
  const listed = await page.request.get("/v1/models", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect((await listed.json()).data.map((m: { id: string }) => m.id)).toContain(model);

  // The whole command is visible: wrapped, not cut or scrolled, at desktop and phone width.
  await expectContentFits(curl);
  await page.setViewportSize(PHONE);
  await expectContentFits(curl);
  await page.setViewportSize({ width: 1366, height: 900 });

  // The dialog box itself carries no focus ring.
  const outline = await shown.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe("none");

  await shown.getByRole("button", { name: "Copy command" }).click();
  await expect(shown.getByText("Command copied to the clipboard.")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(text);
  expect(copied).toContain(key);

  // Copied: closing does not ask "Close without the key?".
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("closing without copying still asks first", async ({ page }) => {
  await signUp(page);
  await page.getByRole("button", { name: "Create API Key" }).click();
  const form = page.getByRole("dialog", { name: "Create API Key" });
  await form.getByLabel("Name").fill("not copied");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  await page
    .getByRole("dialog", { name: "Save your API key" })
    .getByRole("button", { name: "Done" })
    .click();
  await expect(page.getByRole("dialog", { name: "Close without the key?" })).toBeVisible();
});
