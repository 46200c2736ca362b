import { expect, test, type Page } from "@playwright/test";
import { newAccount } from "../helpers/accounts";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { expectNoSeriousAxeViolations } from "../helpers/axe";
import { PHONE } from "../helpers/layout";
import { shootBothThemes } from "../helpers/shots";

/**
 * Issue 31 with issue 27's settings: Admin → Settings sets who may create teams, whether a
 * team admin's invite may create an account and whether users' webhooks may reach private
 * addresses; Admin → Teams and a user's Teams page say who creates teams as the setting
 * has it. A server of its own: it runs with the install's default sign-up (invite only),
 * not the SIGNUP_MODE=open the other specs' server has, and its settings are changed here.
 */
// A server of its own starts slowly on a loaded machine: more time than the default minute.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let server: AppServer;
let admin: Page;
let user: Page;
test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(180_000);
  server = await startAppServer();
  admin = await (await browser.newContext({ baseURL: server.url })).newPage();
  user = await (await browser.newContext({ baseURL: server.url })).newPage();
});
test.afterAll(async () => {
  await admin?.context().close();
  await user?.context().close();
  await server?.stop();
});

const ADMINS_ONLY =
  "No teams yet. Only platform admins create teams on this server: create one on your Teams page, or let everyone under Admin → Settings, “Who may create teams”.";
const EVERYONE = "No teams yet. Users create teams on their Teams page.";

async function save(page: Page) {
  await page.getByRole("button", { name: "Save settings" }).click();
}

test("the defaults: only platform admins create teams, and Admin → Teams says so", async () => {
  const first = newAccount({ name: "First Admin" });
  await admin.goto("/signup");
  await admin.getByLabel("Name").fill(first.name);
  await admin.getByLabel("Email").fill(first.email);
  await admin.getByLabel("Password").fill(first.password);
  await admin.getByRole("button", { name: "Create account" }).click();
  await expect(admin).toHaveURL(/\/settings\/api-keys$/);

  await admin.goto("/admin/teams");
  await expect(admin.getByText(ADMINS_ONLY)).toBeVisible();
  await shootBothThemes(admin, "admin-teams-empty");

  await admin.goto("/admin/settings");
  const creators = admin.getByRole("radiogroup", { name: "Who may create teams" });
  await expect(creators.getByRole("radio", { name: "Only platform admins" })).toBeChecked();
  const invites = admin.getByRole("radiogroup", { name: "Team invites may create accounts" });
  await expect(
    invites.getByRole("radio", { name: "Only in teams a platform admin created" }),
  ).toBeChecked();
  await expect(
    admin.getByRole("checkbox", { name: /webhooks may reach loopback and private addresses/ }),
  ).not.toBeChecked();
  await expectNoSeriousAxeViolations(admin);
});

test("a bad value gets its message under its own field, and focus moves there (also at 390 wide)", async () => {
  for (const viewport of [{ width: 1366, height: 768 }, PHONE]) {
    await admin.setViewportSize(viewport);
    await admin.goto("/admin/settings");
    // Neither group answered, as a hand-made request could send it: the server's check answers.
    await admin.evaluate(() =>
      document
        .querySelectorAll<HTMLInputElement>(
          'input[name="who_may_create_teams"], input[name="team_invites_create_accounts"]',
        )
        .forEach((radio) => (radio.checked = false)),
    );
    await save(admin);

    const creators = admin.getByRole("radiogroup", { name: "Who may create teams" });
    await expect(creators.getByRole("alert")).toHaveText("Choose who may create teams");
    const invites = admin.getByRole("radiogroup", { name: "Team invites may create accounts" });
    await expect(invites.getByRole("alert")).toHaveText(
      "Choose when a team admin's invite may create an account",
    );
    // The first group with an error has focus, on screen, and its message is described by it.
    const first = creators.getByRole("radio", { name: "Only platform admins" });
    await expect(first).toBeFocused();
    await expect(first).toBeInViewport();
    await expect(first).toHaveAccessibleDescription("Choose who may create teams");
    await expect(admin.getByText("Settings saved.")).toHaveCount(0);
    await expectNoSeriousAxeViolations(admin);
    await shootBothThemes(admin, `admin-settings-errors-${viewport.width}`);
  }
  await admin.setViewportSize({ width: 1366, height: 900 });
  // Nothing was stored.
  const stored = await (await admin.request.get("/api/v1/settings")).json();
  expect(stored).toMatchObject({
    who_may_create_teams: "admins",
    team_invites_create_accounts: "admin_teams",
  });
});

test("an invited user sees no Create team form until the admin lets everyone create teams", async () => {
  await admin.goto("/admin/settings");
  const invited = newAccount();
  await admin.getByRole("textbox", { name: "Email" }).fill(invited.email);
  await admin.getByRole("button", { name: "Create invite" }).click();
  const link = await admin.getByLabel("Invite link").inputValue();
  await user.goto(link);
  await user.getByLabel("Name").fill(invited.name);
  await user.getByLabel("Password").fill(invited.password);
  await user.getByRole("button", { name: "Create account" }).click();
  await expect(user).toHaveURL(/\/settings\/api-keys$/);

  await user.goto("/settings/teams");
  await expect(user.getByText("Only platform admins create teams on this server.")).toBeVisible();
  await expect(user.getByRole("button", { name: "Create team" })).toHaveCount(0);
  await expect(user.getByText(`You are not in any team yet. Ask a team admin`)).toBeVisible();
  await shootBothThemes(user, "teams-admins-only");

  await admin.goto("/admin/settings");
  await admin.getByRole("radio", { name: "Everyone" }).check();
  await admin.getByRole("radio", { name: /^Never/ }).check();
  await admin
    .getByRole("checkbox", { name: /webhooks may reach loopback and private addresses/ })
    .check();
  await save(admin);
  await expect(admin.getByText("Settings saved.")).toBeVisible();
  expect(await (await admin.request.get("/api/v1/settings")).json()).toMatchObject({
    who_may_create_teams: "everyone",
    team_invites_create_accounts: "never",
    webhooks_allow_private_addresses: true,
  });
  await admin.reload();
  await expect(admin.getByRole("radio", { name: "Everyone" })).toBeChecked();
  await expect(admin.getByRole("radio", { name: /^Never/ })).toBeChecked();
  await admin.goto("/admin/teams");
  await expect(admin.getByText(EVERYONE)).toBeVisible();

  await user.reload();
  await user.getByLabel("Team name").fill("Made by a user");
  await user.getByRole("button", { name: "Create team" }).click();
  await expect(user.getByRole("heading", { name: "Made by a user" })).toBeVisible();
});
