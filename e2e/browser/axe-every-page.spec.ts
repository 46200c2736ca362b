import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DESKTOP, PHONE } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/**
 * axe-core on every page, as a platform admin (who sees them all), with zero serious or
 * critical violations: at 1366 in the light theme and at 390 in the dark one. With
 * MB_SHOTS_DIR set, every page is also photographed in both themes at both widths (the
 * other two combinations run only then, to keep the suite short).
 */
const PAGES = [
  "/settings/api-keys",
  "/settings/api-keys/{key}",
  "/playground",
  "/usage",
  "/settings/teams",
  "/settings/webhooks",
  "/settings/audit-log",
  "/settings/account",
  "/admin/models",
  "/admin/users",
  "/admin/teams",
  "/admin/balances",
  "/admin/settings",
  "/admin/audit-log",
];
const SIGNED_OUT = ["/login", "/signup"];
const SHOTS = process.env.MB_SHOTS_DIR;

const combos = [
  { name: "desktop-light", viewport: DESKTOP, colorScheme: "light" as const, always: true },
  { name: "phone-dark", viewport: PHONE, colorScheme: "dark" as const, always: true },
  { name: "desktop-dark", viewport: DESKTOP, colorScheme: "dark" as const, always: false },
  { name: "phone-light", viewport: PHONE, colorScheme: "light" as const, always: false },
];

async function scan(page: Page, label: string, shotName: string): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  await expect(page.locator("h1").first()).toBeVisible();
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${shotName}.png`), fullPage: true });
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(" | ")}`,
    );
}

async function adminState(browser: Browser) {
  const context = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
  const page = await context.newPage();
  await signInAsPlatformAdmin(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: `axe key ${Date.now().toString(36)}`, spending_limit: "2" },
    headers: sameOrigin(),
  });
  expect(created.status()).toBe(201);
  const keyId = (await created.json()).id as string;
  const state = await context.storageState();
  await context.close();
  return { state, keyId };
}

// The two extra combinations run only when screenshots are asked for (MB_SHOTS_DIR).
for (const combo of combos.filter((c) => c.always || SHOTS)) {
  test(`axe: every page, ${combo.name}, no serious violations`, async ({ browser }) => {
    test.setTimeout(300_000);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    const { state, keyId } = await adminState(browser);
    const problems: string[] = [];
    const context = await browser.newContext({
      baseURL: process.env.MB_BASE_URL,
      viewport: combo.viewport,
      colorScheme: combo.colorScheme,
      storageState: state,
    });
    const page = await context.newPage();
    for (const pathname of PAGES) {
      await page.goto(pathname.replace("{key}", keyId));
      const slug = pathname.replace("{key}", "key-detail").replace(/\//g, "_").slice(1);
      problems.push(...(await scan(page, pathname, `${slug}-${combo.name}`)));
    }
    await context.close();
    const signedOut = await browser.newContext({
      baseURL: process.env.MB_BASE_URL,
      viewport: combo.viewport,
      colorScheme: combo.colorScheme,
    });
    const outPage = await signedOut.newPage();
    for (const pathname of SIGNED_OUT) {
      await outPage.goto(pathname);
      problems.push(...(await scan(outPage, pathname, `${pathname.slice(1)}-${combo.name}`)));
    }
    await signedOut.close();
    expect(problems, problems.join("\n")).toEqual([]);
  });
}
