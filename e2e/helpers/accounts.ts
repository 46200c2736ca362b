import { randomBytes } from "node:crypto";
import { expect, type Browser, type APIRequestContext, type Page } from "@playwright/test";

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function newAccount(overrides: Partial<Account> = {}): Account {
  const id = randomBytes(5).toString("hex");
  return {
    name: `Tester ${id}`,
    email: `tester-${id}@example.com`,
    password: `pw-${randomBytes(8).toString("hex")}`,
    ...overrides,
  };
}

/** Signs up through the page as a person would; ends on the API Keys page. */
export async function signUp(page: Page, overrides: Partial<Account> = {}): Promise<Account> {
  const account = newAccount(overrides);
  await page.goto("/signup");
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  return account;
}

export async function signIn(
  page: Page,
  account: Pick<Account, "email" | "password">,
): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
}

/**
 * An API request context signed in as a fresh user (sign-up happens in a browser page, the
 * session cookie is shared with the returned context). Close it with `context.close()`.
 */
export async function newSignedInContext(browser: Browser, overrides: Partial<Account> = {}) {
  const context = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const page = await context.newPage();
  const account = await signUp(page, overrides);
  await page.close();
  const request: APIRequestContext = context.request;
  return { context, request, account };
}
