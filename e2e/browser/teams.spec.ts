import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUp } from "../helpers/accounts";
import { createKeyInPage, keyRow, rowAction } from "../helpers/api-keys-page";

async function showOwner(page: Page, owner: string) {
  await page.getByLabel("Owner").selectOption({ label: owner });
  await expect(page.getByLabel("Owner")).toHaveValue(
    owner === "Personal" ? "personal" : /[0-9a-f-]{36}/,
  );
}

test("A creates a team and adds B; B creates a team key; A sees it with its usage and revokes it; B never sees A's personal keys", async ({
  browser,
}) => {
  // Two users through the whole team life cycle: about 40 s on a quiet machine, so room to
  // spare for a busy one.
  test.setTimeout(120_000);
  const teamName = `Research ${Date.now().toString(36)}`;
  const aContext = await browser.newContext();
  const bContext = await browser.newContext();
  const a = await aContext.newPage();
  const b = await bContext.newPage();
  const bAccount = newAccount();
  await signUp(a);
  await signUp(b, bAccount);

  // A: a personal key that B must never see.
  await createKeyInPage(a, { name: "A's private key" });

  // A creates the team and adds B by email.
  await a.getByRole("main").getByRole("link", { name: "Teams" }).click();
  await expect(a.getByRole("heading", { name: "Teams" })).toBeVisible();
  await expect(a.getByText("You are not in any team yet")).toBeVisible();
  await a.getByLabel("Team name").fill(teamName);
  await a.getByRole("button", { name: "Create team" }).click();
  const team = a.getByRole("region", { name: teamName });
  await expect(team).toContainText("You are an admin");
  // An unknown email gets a link to sign up with; an existing account joins at once (issue 31:
  // a team admin is told which, rather than handed a link that would only say "expired").
  const nobody = `nobody-${Date.now().toString(36)}@example.com`;
  await team.getByLabel("Email").fill(nobody);
  await team.getByRole("button", { name: "Add member" }).click();
  await expect(team.getByText(`No account uses ${nobody} yet. Send them this link`)).toBeVisible();
  await expect(team.getByLabel("Invite link")).toHaveValue(/\/signup\?invite=/);
  await team.getByLabel("Email").fill(bAccount.email);
  await team.getByRole("button", { name: "Add member" }).click();
  await expect(
    team.getByText(
      `${bAccount.name} (${bAccount.email}) already had an account and is now a member.`,
    ),
  ).toBeVisible();
  await expect(team.getByRole("listitem").filter({ hasText: bAccount.email })).toBeVisible();
  await expect(team.getByRole("list", { name: "Pending invites" })).toContainText(nobody);
  await expect(team.getByLabel(`Role of ${bAccount.name}`)).toHaveValue("member");

  // B creates a team key and uses it.
  await b.reload();
  await showOwner(b, teamName);
  await expect(b.getByText("You have not created any keys for this team")).toBeVisible();
  const bKey = await createKeyInPage(b, { name: "B's team key", owner: teamName, limit: "3" });
  const chat = await b.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${bKey}` },
    data: {
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "usage for the team" }],
    },
  });
  expect(chat.status()).toBe(200);
  await expect(keyRow(b, "B's team key")).toContainText("Active");

  // B sees neither A's personal keys nor any team key B did not create.
  await expect(b.getByText("A's private key")).toHaveCount(0);
  await showOwner(b, "Personal");
  await expect(b.getByText("No API keys yet")).toBeVisible();
  await expect(b.getByText("A's private key")).toHaveCount(0);

  // A, team admin, sees B's key with its creator and its spend, and revokes it.
  await a.goto("/settings/api-keys");
  await showOwner(a, teamName);
  const row = keyRow(a, "B's team key");
  await expect(a.getByRole("columnheader", { name: "Created by" })).toBeVisible();
  await expect(row).toContainText(bAccount.name);
  await expect(row).toContainText("/ 3.00 AUD");
  // Spend is tiny (the echo model costs micro-units), but it shows once usage is recorded.
  await expect
    .poll(
      async () => {
        await a.getByRole("button", { name: "Refresh" }).click();
        return row.textContent();
      },
      { message: "the key's spend appears after use", timeout: 15_000 },
    )
    .not.toMatch(/(^|[^.\d])0\.00 \/ 3\.00 AUD/);
  await rowAction(a, "B's team key", "Revoke");
  await a.getByRole("button", { name: "Revoke API Key" }).click();
  await expect(row).toHaveCount(0);
  await a.getByLabel("Status").selectOption("revoked");
  await expect(row).toContainText("Revoked");

  // B sees the revocation, and the key no longer works.
  await b.reload();
  await showOwner(b, teamName);
  await b.getByLabel("Status").selectOption("revoked");
  await expect(keyRow(b, "B's team key")).toContainText("Revoked");
  const refused = await b.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${bKey}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "again" }] },
  });
  expect(refused.status()).toBe(401);

  // Members do not see "Created by" nor manage members.
  await b.goto("/settings/teams");
  const bTeam = b.getByRole("region", { name: teamName });
  await expect(bTeam).toContainText("You are a member");
  await expect(bTeam.getByRole("button", { name: "Add member" })).toHaveCount(0);

  // B creates another team key: removing B from the team will revoke it.
  await b.goto("/settings/api-keys");
  await showOwner(b, teamName);
  const bSecondKey = await createKeyInPage(b, { name: "B's second key", owner: teamName });

  // A makes B an admin, then removes B.
  await a.goto("/settings/teams");
  await team.getByLabel(`Role of ${bAccount.name}`).selectOption("admin");
  await expect(
    team.getByRole("status").filter({ hasText: `${bAccount.name} is now an admin.` }),
  ).toBeVisible();
  await a.reload();
  await expect(
    a.getByRole("region", { name: teamName }).getByLabel(`Role of ${bAccount.name}`),
  ).toHaveValue("admin");
  await a
    .getByRole("region", { name: teamName })
    .getByRole("button", { name: `Remove ${bAccount.name}` })
    .click();
  // The confirmation says what else goes: the one active team key B created (the first was revoked above).
  await expect(
    a
      .getByRole("region", { name: teamName })
      .getByText("This revokes the 1 team key they created."),
  ).toBeVisible();
  await a
    .getByRole("region", { name: teamName })
    .getByRole("button", { name: "Remove member" })
    .click();
  await expect(
    a
      .getByRole("region", { name: teamName })
      .getByText(`${bAccount.name} was removed. 1 team key revoked.`),
  ).toBeVisible();
  await expect(a.getByRole("region", { name: teamName }).getByText(bAccount.email)).toHaveCount(0);
  const afterRemoval = await b.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${bSecondKey}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "after removal" }] },
  });
  expect(afterRemoval.status()).toBe(401);
  expect((await afterRemoval.json()).error.code).toBe("key_revoked");

  await aContext.close();
  await bContext.close();
});
