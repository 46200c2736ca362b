import { expect, test } from "@playwright/test";
import { newSignedInContext } from "../helpers/accounts";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/** Admin → Users counts each user's own active keys (it showed 0 for everyone). */
test("Admin → Users shows how many active keys each user has", async ({ page, browser }) => {
  const { context, request, account } = await newSignedInContext(browser);
  const ids: string[] = [];
  for (const name of ["one", "two", "three"]) {
    const response = await request.post("/api/v1/keys", { data: { name }, headers: sameOrigin() });
    expect(response.status()).toBe(201);
    ids.push((await response.json()).id);
  }
  expect(
    (await request.post(`/api/v1/keys/${ids[0]}/revoke`, { headers: sameOrigin() })).status(),
  ).toBe(200);
  await context.close();

  await signInAsPlatformAdmin(page);
  await page.goto(`/admin/users?q=${encodeURIComponent(account.email)}`);
  const row = page.getByRole("row").filter({ hasText: account.email });
  await expect(row).toHaveCount(1);
  const header = await page.getByRole("columnheader").allTextContents();
  const cells = row.getByRole("cell");
  await expect(cells.nth(header.indexOf("Active keys"))).toHaveText("2");
});
