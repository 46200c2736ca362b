import { expect, test } from "@playwright/test";
import { newAccount, signIn, signUp } from "../helpers/accounts";

test("a new user signs up, sees the shell, signs out and signs back in", async ({ page }) => {
  const account = await signUp(page);

  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  for (const label of ["API Keys", "Playground", "Usage"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }

  await page.getByRole("button", { name: "User menu" }).first().click();
  await expect(page.getByRole("menu")).toContainText(account.email);
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // Signed out means the dashboard is closed again.
  await page.goto("/settings/api-keys");
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, account);
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
});

test("a wrong password shows an error and keeps the email", async ({ page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();

  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page.locator("main form").getByRole("alert")).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email")).toHaveValue(account.email);
});

test("sign-up explains each invalid field next to it", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByText("Enter your name")).toBeVisible();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("an email can only sign up once", async ({ page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Someone Else");
  await page.getByLabel("Email").fill(account.email.toUpperCase());
  await page.getByLabel("Password").fill("another-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists. Sign in instead.")).toBeVisible();
});

test("repeated wrong passwords lock sign-in for that email, even with the right one", async ({ page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  await page.goto("/login");
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(`wrong-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // React resets the form when the action's answer is rendered, in the same commit as the
    // new error: the emptied password is the sign that this attempt was answered (the previous
    // attempt's identical error is on the page until then, and the HTTP response comes before
    // the render). Typing the next attempt earlier would be wiped by this reset, and an empty
    // password is refused before it counts as a failed sign-in.
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.locator("main form").getByRole("alert")).toHaveText("Incorrect email or password.");
  }
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main form").getByRole("alert")).toContainText("Too many failed sign-in attempts");
});

test("the dashboard needs a session", async ({ page }) => {
  for (const path of ["/settings/api-keys", "/playground", "/usage", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login/);
  }
  expect(newAccount().email).toMatch(/@example\.com$/);
});
