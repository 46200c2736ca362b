import { expect, type Locator, type Page } from "@playwright/test";

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Nothing on the page is wider than the window: no sideways scrolling. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = page.viewportSize()!.width;
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth),
    "the page scrolls sideways",
  ).toBeLessThanOrEqual(width);
}

/** The element is on screen horizontally: its box starts at or after 0 and ends inside the window. */
export async function expectInsideWindow(page: Page, locator: Locator): Promise<void> {
  const width = page.viewportSize()!.width;
  const box = await locator.boundingBox();
  expect(box, "the element is laid out").not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

/** An element's content fits its own box (nothing cut, no inner scrollbar). */
export async function expectContentFits(locator: Locator): Promise<void> {
  const { scrollWidth, clientWidth } = await locator.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
  }));
  expect(scrollWidth, "content wider than its box").toBeLessThanOrEqual(clientWidth);
}
