import { expect, test } from "@playwright/test";
import { newAccount, signIn, signUp } from "../helpers/accounts";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

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

  await expect(page.locator("main form").getByRole("alert")).toHaveText(
    "Incorrect email or password.",
  );
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
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("sign-up refuses passwords that are common or only spaces", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Weak Password");
  await page.getByLabel("Email").fill(newAccount().email);
  await page.getByLabel("Password").fill("1234567890");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByText("This password is on a list of common passwords. Choose another."),
  ).toBeVisible();
  await page.getByLabel("Password").fill("            ");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("A password cannot be only spaces")).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);
});

test("an email can only sign up once", async ({ page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Someone Else");
  await page.getByLabel("Email").fill(account.email.toUpperCase());
  await page.getByLabel("Password").fill("another-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByText("An account with this email already exists. Sign in instead."),
  ).toBeVisible();
});

test("repeated wrong passwords from one address lock sign-in for that email there, even with the right one", async ({
  page,
}) => {
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
    await expect(page.locator("main form").getByRole("alert")).toHaveText(
      "Incorrect email or password.",
    );
  }
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main form").getByRole("alert")).toContainText(
    "Too many failed sign-in attempts",
  );
});

test("sign-out ends the session on the server: the old cookie, replayed, is refused", async ({
  browser,
  page,
}) => {
  const account = await signUp(page);
  const cookies = await page.context().cookies();
  expect(cookies.some((cookie) => cookie.name.includes("session-token"))).toBe(true);
  await page.getByRole("button", { name: "User menu" }).first().click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // Someone who copied the cookie before the sign-out replays it.
  const replay = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  await replay.addCookies(cookies);
  const replayed = await replay.newPage();
  await replayed.goto("/settings/api-keys");
  await expect(replayed).toHaveURL(/\/login/);
  expect((await replay.request.get("/api/v1/me")).status()).toBe(401);
  await replay.close();

  // Signing in again gives a working session.
  await signIn(page, account);
  expect((await page.request.get("/api/v1/me")).status()).toBe(200);
});

test("changing the password ends other sessions; this browser stays signed in", async ({
  browser,
  page,
}) => {
  const account = await signUp(page);
  const other = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const otherPage = await other.newPage();
  await signIn(otherPage, account);
  expect((await other.request.get("/api/v1/me")).status()).toBe(200);

  await page.goto("/settings/account");
  await page.getByLabel("Current password").fill(account.password);
  await page.getByLabel("New password").fill(`${account.password}-changed`);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(
    page.getByText("Password changed. Every other session was signed out."),
  ).toBeVisible();
  expect((await page.request.get("/api/v1/me")).status()).toBe(200);
  expect((await other.request.get("/api/v1/me")).status()).toBe(401);

  // "Sign out everywhere" asks first (Cancel is focused), then ends this one too.
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await other.close();
});

test("a disabled account is told so after the right password only", async ({ browser, page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  const adminContext = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const admin = await adminContext.newPage();
  await signInAsPlatformAdmin(admin);
  await admin.goto(`/admin/users?q=${encodeURIComponent(account.email)}`);
  await admin.getByRole("button", { name: `Disable ${account.email}` }).click();
  await admin.getByRole("button", { name: "Disable user" }).click();
  await expect(admin.getByRole("button", { name: `Enable ${account.email}` })).toBeVisible();
  await adminContext.close();

  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main form").getByRole("alert")).toHaveText(
    "Incorrect email or password.",
  );
  // The form is reset when the answer renders; type the next attempt after that.
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main form").getByRole("alert")).toHaveText(
    "This account is disabled. Ask an administrator to enable it.",
  );
});

test("the dashboard needs a session", async ({ page }) => {
  for (const path of ["/settings/api-keys", "/playground", "/usage", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login/);
  }
  expect(newAccount().email).toMatch(/@example\.com$/);
});
