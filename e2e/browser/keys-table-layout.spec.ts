import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import {
  DESKTOP,
  PHONE,
  expectContentFits,
  expectInsideWindow,
  expectNoSidewaysScroll,
} from "../helpers/layout";
import { sameOrigin } from "../helpers/management";

/**
 * A team admin's key list (the widest: it has Created by) with long names, at a laptop's
 * 1366 px and a phone's 390 px: every row's actions are on screen, nothing scrolls sideways,
 * and a long name is cut with the whole name on hover.
 */
test("the key list fits a 1366 px screen with every row's actions visible, and a 390 px phone as cards", async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  await signUp(page);
  const team = await page.request.post("/api/v1/teams", {
    data: { name: "Layout team" },
    headers: sameOrigin(),
  });
  expect(team.status()).toBe(201);
  const teamId = (await team.json()).id as string;
  const longName = `A very long key name that goes on and on ${"x".repeat(20)}`.slice(0, 64);
  for (let i = 0; i < 12; i++) {
    const name = i === 0 ? longName : `layout key ${i}`;
    const response = await page.request.post("/api/v1/keys", {
      data: {
        name,
        team_id: teamId,
        spending_limit: "12.50",
        expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      headers: sameOrigin(),
    });
    expect(response.status()).toBe(201);
  }
  await page.goto(`/settings/api-keys?owner=${teamId}`);
  const table = page.getByRole("table");
  await expect(page.getByRole("columnheader", { name: "Created by" })).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(13);

  await expectNoSidewaysScroll(page);
  await expectContentFits(table.locator(".."));
  for (const name of [longName, "layout key 1", "layout key 11"]) {
    const actions = page.getByRole("button", { name: `Actions for ${name}`, exact: true });
    await expect(actions).toBeVisible();
    await expectInsideWindow(page, actions);
  }
  // The long name is cut to one line; the whole name is its title (hover).
  const nameCell = page
    .getByRole("row")
    .filter({ hasText: longName.slice(0, 20) })
    .getByTitle(longName);
  await expect(nameCell).toBeVisible();
  const cut = await nameCell.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(cut).toBe(true);

  // The menu holds the row's actions.
  await page.getByRole("button", { name: "Actions for layout key 3", exact: true }).click();
  await expect(page.getByRole("menuitem")).toHaveText(["Usage", "Edit", "Pause", "Roll", "Revoke"]);
  await page.keyboard.press("Escape");

  await page.setViewportSize(PHONE);
  await expect(table).toBeHidden();
  const cards = page.getByRole("list", { name: "API keys" }).getByRole("listitem");
  await expect(cards).toHaveCount(12);
  await expectNoSidewaysScroll(page);
  const first = cards.filter({ hasText: longName });
  await expectInsideWindow(page, first.getByRole("button", { name: "Revoke" }));
  await expectInsideWindow(page, first.getByRole("button", { name: "Edit" }));
});
