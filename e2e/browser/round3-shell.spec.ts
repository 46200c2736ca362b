import { expect, test, type Page } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { DESKTOP, PHONE, expectNoSidewaysScroll } from "../helpers/layout";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/** Issue 31, items 5, 6, 7 and 9: sign-in returns to the page asked for, dark theme, loading states, a one-row phone navigation. */

const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);
/** Lightness on a 0–255 scale: the mean of rgb(), or L of lab()/oklch() (which Chromium reports). */
const brightness = (color: string) => {
  const [a, b, c] = (color.match(/[\d.]+/g) ?? []).map(Number);
  if (color.startsWith("oklch")) return (color.includes("%") ? a / 100 : a) * 255;
  if (color.startsWith("lab")) return (a / 100) * 255;
  return (a + b + c) / 3;
};

test("sign-in returns to the page asked for, with its query", async ({ page }) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  await page.goto("/usage?range=7");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fusage%3Frange%3D7$/);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/usage\?range=7$/);
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
});

for (const [width, viewport] of [
  ["1366", DESKTOP],
  ["390", PHONE],
] as const) {
  test(`dark theme follows the system and a switch overrides it (${width} wide)`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport, colorScheme: "dark" });
    const page = await context.newPage();
    await signUp(page);
    expect(brightness(await background(page))).toBeLessThan(40);
    await page.goto("/settings/account");
    const theme = page.getByRole("main").getByRole("radiogroup", { name: "Theme" });
    await expect(theme.getByRole("radio", { name: "System" })).toHaveAttribute(
      "aria-checked",
      "true",
    );
    await theme.getByRole("radio", { name: "Light" }).click();
    await expect.poll(async () => brightness(await background(page))).toBeGreaterThan(200);
    // Kept across a reload (a cookie the server reads: no flash of the other theme).
    await page.reload();
    expect(brightness(await background(page))).toBeGreaterThan(200);
    await expect(theme.getByRole("radio", { name: "Light" })).toHaveAttribute(
      "aria-checked",
      "true",
    );
    await theme.getByRole("radio", { name: "Dark" }).click();
    await expect.poll(async () => brightness(await background(page))).toBeLessThan(40);
    await theme.getByRole("radio", { name: "System" }).click();
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(async () => brightness(await background(page))).toBeGreaterThan(200);
    await context.close();
  });
}

test("every page shows a loading state while the server answers, instead of the old page", async ({
  page,
}) => {
  await signInAsPlatformAdmin(page);
  // The links' prefetches (up to each page's loading boundary) must have arrived first: that
  // is what lets the loading state show at once. Recorded by path.
  const prefetched = new Set<string>();
  page.on("response", (response) => {
    if (response.request().headers()["next-router-prefetch"])
      prefetched.add(new URL(response.url()).pathname);
  });
  await page.goto("/settings/api-keys");
  await page.waitForLoadState("networkidle");
  // Hold back the navigation's server answer (not the prefetch): the loading state must show.
  let hold = true;
  await page.route(
    (url) => url.pathname !== "/settings/api-keys",
    async (route) => {
      const request = route.request();
      if (hold && request.headers()["rsc"] && !request.headers()["next-router-prefetch"])
        await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    },
  );
  const nav = page.getByRole("navigation", { name: "Main" }).first();
  for (const [link, heading, path] of [
    ["Teams", "Teams", "/settings/teams"],
    ["Webhooks", "Webhooks", "/settings/webhooks"],
    ["Audit log", "Audit log", "/settings/audit-log"],
    ["Playground", "Playground", "/playground"],
    ["Admin", "Admin", "/admin"],
  ]) {
    await nav.getByRole("link", { name: link }).hover();
    await expect.poll(() => prefetched.has(path), { timeout: 20_000 }).toBe(true);
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByTestId("page-loading")).toBeVisible();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByTestId("page-loading")).toHaveCount(0);
  }
  hold = false;
});

test("on a phone the navigation is one row, and Admin → Teams fits 390 px", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signInAsPlatformAdmin(page);
  for (const path of ["/settings/api-keys", "/usage", "/admin/teams"]) {
    await page.goto(path);
    const header = page
      .locator("header")
      .filter({ has: page.getByRole("navigation", { name: "Main" }) });
    const box = (await header.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(64);
    // The current page's link is in view in the scrolling strip.
    await expect(header.locator('[aria-current="page"]')).toBeInViewport();
    await expectNoSidewaysScroll(page);
  }
});
