import path from "node:path";
import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";

/**
 * With MB_SHOTS_DIR set, a full-page screenshot of the page as it is, in the light and the
 * dark theme (`<name>-light.png`, `<name>-dark.png`), for a person to look at. Without it,
 * nothing: screenshots are not assertions.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  const dir = process.env.MB_SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: path.join(dir, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}
