import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { PHONE, expectInsideWindow, expectNoSidewaysScroll } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/** At 390 px the admin tables and Usage → Recent requests are cards, and nothing scrolls sideways. */
test("admin pages and the usage page work at phone width", async ({ page, browser }) => {
  // A user with a request on record, for the usage page.
  const userContext = await browser.newContext({
    baseURL: process.env.MB_BASE_URL,
    viewport: PHONE,
  });
  const user = await userContext.newPage();
  await signUp(user);
  const created = await user.request.post("/api/v1/keys", {
    data: { name: "phone usage" },
    headers: sameOrigin(),
  });
  const { key } = await created.json();
  const chat = await user.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "a request to list" }] },
  });
  expect(chat.status()).toBe(200);
  await expect
    .poll(
      async () => {
        await user.goto("/usage");
        return user.getByRole("list", { name: "Recent requests" }).getByRole("listitem").count();
      },
      { message: "the request is recorded", timeout: 15_000 },
    )
    .toBe(1);
  const request = user.getByRole("list", { name: "Recent requests" }).getByRole("listitem").first();
  await expect(request).toContainText("modelbridge/echo");
  await expect(request).toContainText("200");
  await expect(user.getByRole("table", { name: "Recent requests" })).toBeHidden();
  await expectNoSidewaysScroll(user);
  const tokens = user.getByRole("region", { name: /^Totals/ }).getByText(/ in · \d+ out/);
  await expectInsideWindow(user, tokens);
  await userContext.close();

  await page.setViewportSize(PHONE);
  await signInAsPlatformAdmin(page);
  for (const [path, list, example] of [
    ["/admin/models", "Models", "modelbridge/echo"],
    ["/admin/users", "Users", "Platform admin"],
    ["/admin/balances", "Balances", "Manage"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("table")).toBeHidden();
    const cards = page.getByRole("list", { name: list }).getByRole("listitem");
    await expect(cards.first()).toBeVisible();
    await expect(page.getByRole("list", { name: list })).toContainText(example);
    await expectNoSidewaysScroll(page);
    await expectInsideWindow(page, cards.first().getByRole("button").first());
  }
});
