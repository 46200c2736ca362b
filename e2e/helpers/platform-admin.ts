import { chromium, expect, type Page } from "@playwright/test";
import { newAccount, signIn, type Account } from "./accounts";

/**
 * The server's platform admin. The first account of a fresh install becomes the admin, and
 * specs run in parallel against one server, so global setup signs this account up before
 * any spec starts (createPlatformAdmin) and hands its credentials to the workers through the
 * environment. Specs that need an admin call signInAsPlatformAdmin(page).
 */
const EMAIL = "MB_ADMIN_EMAIL";
const PASSWORD = "MB_ADMIN_PASSWORD";

export async function createPlatformAdmin(baseURL: string): Promise<Account> {
  const account = newAccount({ name: "Platform Admin" });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const page = await browser.newPage({ baseURL });
    await page.goto("/signup");
    await page.getByLabel("Name").fill(account.name);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/, { timeout: 60_000 });
    // If anything signed up first, this account is not the admin: say so here, not in a spec.
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
  } finally {
    await browser.close();
  }
  process.env[EMAIL] = account.email;
  process.env[PASSWORD] = account.password;
  return account;
}

export function platformAdminAccount(): Pick<Account, "email" | "password"> {
  const email = process.env[EMAIL];
  const password = process.env[PASSWORD];
  if (!email || !password)
    throw new Error("No platform admin: e2e/global-setup.ts must call createPlatformAdmin().");
  return { email, password };
}

export async function signInAsPlatformAdmin(page: Page): Promise<void> {
  await signIn(page, platformAdminAccount());
}
