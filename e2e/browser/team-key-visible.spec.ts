import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage, keyRow } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";

/** A key created for a team while the list shows Personal: the list moves to the team, where the key is. */
test("a new team key is shown after creation, even when the list showed Personal", async ({
  page,
}) => {
  await signUp(page);
  const team = await page.request.post("/api/v1/teams", {
    data: { name: "Where it went" },
    headers: sameOrigin(),
  });
  const teamId = (await team.json()).id as string;
  await page.reload();
  await expect(page.getByLabel("Owner")).toHaveValue("personal");

  await createKeyInPage(page, { name: "team-bound key", owner: "Where it went" });
  await expect(page).toHaveURL(new RegExp(`owner=${teamId}`));
  await expect(page.getByLabel("Owner")).toHaveValue(teamId);
  await expect(keyRow(page, "team-bound key")).toContainText("Active");
  await expect(page.getByText('Created "team-bound key" for Where it went.')).toBeVisible();
});
