import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "../helpers/accounts";
import { PHONE, expectNoSidewaysScroll } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/**
 * Issue 31, items 1, 11 and 13: adding someone who has an account says they joined (no
 * spent link), a second invite to the same email offers Resend, and a team admin renames
 * and deletes the team, told what happens to its keys.
 */
test("add an existing account (joined, no link), invite twice (Resend), rename and delete a team", async ({
  browser,
}) => {
  const teamName = `Ops ${Date.now().toString(36)}`;
  const bContext = await browser.newContext();
  const bAccount = newAccount();
  await signUp(await bContext.newPage(), bAccount);
  await bContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page);
  await page.goto("/settings/teams");
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  const team = page.getByRole("region", { name: teamName });
  await expect(team).toContainText("You are an admin");

  // Item 1: an existing account joins at once; no link that would only say "expired".
  await team.getByLabel("Email").fill(bAccount.email);
  await team.getByRole("button", { name: "Add member" }).click();
  await expect(team.getByRole("status").filter({ hasText: "already had an account" })).toHaveText(
    `${bAccount.name} (${bAccount.email}) already had an account and is now a member. No link is needed.`,
  );
  await expect(team.getByLabel("Invite link")).toHaveCount(0);
  await expect(team.getByText(bAccount.email, { exact: true })).toBeVisible();

  // Item 11: an email without an account gets a link; a second invite says so and offers Resend.
  const nobody = `nobody-${Date.now().toString(36)}@example.com`;
  await team.getByLabel("Email").fill(nobody);
  await team.getByRole("button", { name: "Add member" }).click();
  await expect(team.getByText(`No account uses ${nobody} yet.`)).toBeVisible();
  const firstLink = await team.getByLabel("Invite link").inputValue();
  await team.getByLabel("Email").fill(nobody);
  await team.getByRole("button", { name: "Add member" }).click();
  const email = team.getByLabel("Email");
  await expect(email).toHaveAccessibleDescription(
    `${nobody} was already invited — resend? A new link replaces the old one.`,
  );
  await expect(email).toBeFocused();
  await team.getByRole("button", { name: "Resend invite" }).click();
  const secondLink = await team.getByLabel("Invite link").inputValue();
  expect(secondLink).not.toBe(firstLink);
  await expect(
    team.getByRole("list", { name: "Pending invites" }).getByRole("listitem"),
  ).toHaveCount(1);
  // The replaced link no longer works; the new one does.
  const stranger = await browser.newContext();
  const visit = await stranger.newPage();
  await visit.goto(new URL(firstLink).pathname + new URL(firstLink).search);
  await expect(visit.getByText(/has expired, was revoked or has already been used/)).toBeVisible();
  await visit.goto(new URL(secondLink).pathname + new URL(secondLink).search);
  await expect(visit.getByText(/You were invited to the team/)).toBeVisible();
  await stranger.close();

  // A team key, so that deleting the team has something to revoke.
  const teamId = (await (await page.request.get("/api/v1/teams")).json()).data.find(
    (t: { name: string }) => t.name === teamName,
  ).id as string;
  const key = await page.request.post("/api/v1/keys", {
    data: { name: "ops key", team_id: teamId },
    headers: sameOrigin(),
  });
  expect(key.status()).toBe(201);
  const { key: raw } = await key.json();

  // Item 13: rename, then delete, and the dialog says what happens to the keys.
  await team.getByRole("button", { name: `Rename ${teamName}` }).click();
  const rename = page.getByRole("dialog", { name: `Rename ${teamName}` });
  await rename.getByLabel("Team name").fill("");
  await rename.getByRole("button", { name: "Save name" }).click();
  await expect(rename.getByLabel("Team name")).toBeFocused();
  await rename.getByLabel("Team name").fill(`${teamName} renamed`);
  await rename.getByRole("button", { name: "Save name" }).click();
  const renamed = page.getByRole("region", { name: `${teamName} renamed` });
  await expect(renamed).toBeVisible();

  await page.setViewportSize(PHONE);
  await expectNoSidewaysScroll(page);
  await renamed.getByRole("button", { name: `Delete team ${teamName} renamed` }).click();
  const remove = page.getByRole("dialog", { name: `Delete ${teamName} renamed?` });
  await expect(remove).toContainText("Its 1 active team key will be revoked at once");
  await expect(remove.getByRole("button", { name: "Cancel" })).toBeFocused();
  await remove.getByRole("button", { name: "Delete team" }).click();
  await expect(page.getByText(`Deleted ${teamName} renamed. 1 key revoked.`)).toBeVisible();
  await expect(page.getByRole("region", { name: `${teamName} renamed` })).toHaveCount(0);
  const call = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${raw}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] },
  });
  expect(call.status()).toBe(401);
  await context.close();
});

test("Admin → Settings: inviting an email that has an account, or one invited already, says so", async ({
  page,
}) => {
  await signInAsPlatformAdmin(page);
  await page.goto("/admin/settings");
  const form = page
    .locator("form")
    .filter({ has: page.getByRole("button", { name: "Create invite" }) });
  const own = (await (await page.request.get("/api/v1/me")).json()).user.email as string;
  await form.getByLabel("Email").fill(own);
  await form.getByRole("button", { name: "Create invite" }).click();
  await expect(form.getByLabel("Email")).toHaveAccessibleDescription(
    `${own} already has an account — add them to a team under Teams instead.`,
  );
  await expect(form.getByLabel("Email")).toBeFocused();

  const fresh = `fresh-${Date.now().toString(36)}@example.com`;
  await form.getByLabel("Email").fill(fresh);
  await form.getByRole("button", { name: "Create invite" }).click();
  await expect(form.getByLabel("Invite link")).toHaveValue(/\/signup\?invite=/);
  await form.getByLabel("Email").fill(fresh);
  await form.getByRole("button", { name: "Create invite" }).click();
  await expect(form.getByLabel("Email")).toHaveAccessibleDescription(/already invited — resend\?/);
  await form.getByRole("button", { name: "Resend invite" }).click();
  await expect(form.getByLabel("Invite link")).toHaveValue(/\/signup\?invite=/);
});
