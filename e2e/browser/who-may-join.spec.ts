import { expect, test, type Browser, type Page } from "@playwright/test";
import { newAccount, type Account } from "../helpers/accounts";
import { startAppServer, type AppServer } from "../helpers/app-server";

/**
 * Sign-up as an install gets it by default: a server of its own, without the SIGNUP_MODE
 * the other specs' server runs with. Serial: each step builds on the last.
 */
test.describe.configure({ mode: "serial" });

let server: AppServer;
let admin: Page;
test.beforeAll(async ({ browser }) => {
  server = await startAppServer();
  admin = await (await browser.newContext({ baseURL: server.url })).newPage();
});
test.afterAll(async () => {
  await admin?.context().close();
  await server?.stop();
});

async function fillSignUp(page: Page, account: Account, { email = true } = {}) {
  await page.getByLabel("Name").fill(account.name);
  if (email) await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function stranger(browser: Browser): Promise<Page> {
  return (await browser.newContext({ baseURL: server.url })).newPage();
}

async function saveMode(label: "Invite only" | "Open" | "Closed") {
  await admin.goto("/admin/settings");
  await admin.getByRole("radio", { name: label }).check();
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Settings saved.")).toBeVisible();
}

const INVITE_ONLY =
  "Sign-up is by invitation only. Ask an administrator or a team admin for an invite link.";
const SPENT =
  "This invite link has expired, was revoked or has already been used. Ask for a new one.";

test("the first account becomes the admin; after it a stranger cannot sign up", async ({
  browser,
}) => {
  await admin.goto("/signup");
  await fillSignUp(admin, newAccount({ name: "First Admin" }));
  await expect(admin).toHaveURL(/\/settings\/api-keys$/);
  await admin.goto("/admin/settings");
  await expect(admin.getByRole("radio", { name: "Invite only" })).toBeChecked();

  const page = await stranger(browser);
  await page.goto("/signup");
  await expect(page.locator("main").getByRole("alert")).toHaveText(INVITE_ONLY);
  await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
  await page.context().close();
});

test("an invite link works once, for the invited email", async ({ browser }) => {
  const invited = newAccount();
  await admin.goto("/admin/settings");
  await admin.getByRole("textbox", { name: "Email" }).fill(invited.email);
  await admin.getByRole("button", { name: "Create invite" }).click();
  await expect(admin.getByText(`Send this link to ${invited.email}`)).toBeVisible();
  const link = await admin.getByLabel("Invite link").inputValue();
  await admin.reload();
  await expect(admin.getByRole("list", { name: "Pending invites" })).toContainText(invited.email);
  // Shown once: after a reload the link is gone from the page.
  await expect(admin.getByLabel("Invite link")).toHaveCount(0);

  const page = await stranger(browser);
  await page.goto(link);
  await expect(page.getByLabel("Email")).toHaveValue(invited.email);
  await expect(page.getByLabel("Email")).toHaveAttribute("readonly", "");
  await fillSignUp(page, invited, { email: false });
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await page.context().close();

  const again = await stranger(browser);
  await again.goto(link);
  await expect(again.locator("main").getByRole("alert")).toHaveText(SPENT);
  await again.context().close();
  await admin.reload();
  await expect(admin.getByText("No pending invites.")).toBeVisible();
});

test("a revoked invite stops working", async ({ browser }) => {
  const email = newAccount().email;
  await admin.goto("/admin/settings");
  await admin.getByRole("textbox", { name: "Email" }).fill(email);
  await admin.getByRole("button", { name: "Create invite" }).click();
  const link = await admin.getByLabel("Invite link").inputValue();
  await admin.reload();
  await admin.getByRole("button", { name: `Revoke the invite for ${email}` }).click();
  await expect(admin.getByText("No pending invites.")).toBeVisible();

  const page = await stranger(browser);
  await page.goto(link);
  await expect(page.locator("main").getByRole("alert")).toHaveText(SPENT);
  await page.context().close();
});

test("closed lets no one in; open lets anyone in, up to the per-address budget", async ({
  browser,
}) => {
  await saveMode("Closed");
  const page = await stranger(browser);
  await page.goto("/signup");
  await expect(page.locator("main").getByRole("alert")).toHaveText(
    "Sign-up is closed on this server. Ask an administrator for an account.",
  );

  await saveMode("Open");
  // The first account and the invited one used 2 of this address's 10 attempts an hour.
  for (let i = 0; i < 8; i++) {
    await page.context().clearCookies();
    await page.goto("/signup");
    await fillSignUp(page, newAccount());
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
  }
  await page.context().clearCookies();
  await page.goto("/signup");
  await fillSignUp(page, newAccount());
  await expect(page.locator("main form").getByRole("alert")).toHaveText(
    "Too many sign-up attempts from your network. Try again in an hour.",
  );
  await page.context().close();
  await saveMode("Invite only");
});
