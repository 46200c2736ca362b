import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { expectNoSeriousAxeViolations } from "../helpers/axe";
import { DESKTOP, PHONE, expectNoSidewaysScroll } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";
import { shootBothThemes } from "../helpers/shots";

/**
 * Issue 31, item 14: a key's own page shows its refused requests (how many, why, on which
 * day), from the same counts as `GET /api/v1/keys/{id}/usage`.
 */
for (const [width, viewport] of [
  ["1366", DESKTOP],
  ["390", PHONE],
] as const) {
  test(`a key's page says how many of its requests were refused and why (${width} wide)`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await signUp(page);
    const created = await page.request.post("/api/v1/keys", {
      data: { name: "refused key", rate_limits: { requests_per_minute: 1 } },
      headers: sameOrigin(),
    });
    expect(created.status()).toBe(201);
    const { id, key: raw } = (await created.json()) as { id: string; key: string };

    // Before any refusal the page says so.
    await page.goto(`/settings/api-keys/${id}`);
    const card = page.getByRole("region", { name: "Refused requests, last 30 days" });
    await expect(card.getByTestId("key-refusals-total")).toHaveText(
      "No requests refused in the last 30 days.",
    );

    const call = () =>
      page.request.post("/v1/chat/completions", {
        headers: { authorization: `Bearer ${raw}` },
        data: { model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }] },
      });
    expect((await call()).status()).toBe(200);
    const limited = await call();
    expect(limited.status()).toBe(429);
    expect((await limited.json()).error.code).toBe("rate_limit_exceeded");
    const paused = await page.request.post(`/api/v1/keys/${id}/pause`, { headers: sameOrigin() });
    expect(paused.status()).toBe(200);
    for (let i = 0; i < 2; i++) {
      const refused = await call();
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error.code).toBe("key_paused");
    }

    // The counts are written in batches: wait until the API has them, then the page agrees.
    await expect
      .poll(
        async () => (await (await page.request.get(`/api/v1/keys/${id}/usage`)).json()).refused,
        { timeout: 15_000 },
      )
      .toBe(3);
    await page.reload();
    await expect(card.getByTestId("key-refusals-total")).toHaveText(
      "3 requests refused in the last 30 days.",
    );
    const reasons = card.getByTestId("key-refusal-reason");
    await expect(reasons).toHaveText([
      "Key paused 2 key_paused",
      "Rate limited 1 rate_limit_exceeded",
    ]);
    const today = new Date().toLocaleDateString("en-US", {
      month: "short",
      day: "numeric",
      year: "numeric",
      timeZone: "UTC",
    });
    const rows = card.getByRole("table", { name: "Refused requests by day" }).locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByRole("cell")).toHaveText([
      today,
      "3",
      "Key paused 2, Rate limited 1",
    ]);
    // The three usage charts tick the same days, and their grid follows the theme.
    const charts = page.locator("figure[data-chart]");
    await expect(charts).toHaveCount(3);
    // The x labels ("13 Nov"), drawn once the chart has measured its box.
    const dayLabel = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/;
    await expect(
      charts.first().locator("svg text").filter({ hasText: dayLabel }).first(),
    ).toBeVisible();
    const ticksOf = (i: number) =>
      charts.nth(i).locator("svg text").filter({ hasText: dayLabel }).allTextContents();
    const spendTicks = await ticksOf(0);
    expect(spendTicks.length).toBeGreaterThan(1);
    expect(spendTicks.length).toBeLessThanOrEqual(5);
    expect(await ticksOf(1)).toEqual(spendTicks);
    expect(await ticksOf(2)).toEqual(spendTicks);
    const gridStroke = () =>
      charts
        .first()
        .locator('svg line[stroke="var(--color-zinc-200)"]')
        .first()
        .evaluate((line) => getComputedStyle(line).stroke);
    await page.emulateMedia({ colorScheme: "light" });
    const light = await gridStroke();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await gridStroke();
    await page.emulateMedia({ colorScheme: null });
    expect(dark, "the grid is drawn in the dark theme's colour").not.toBe(light);

    await expectNoSidewaysScroll(page);
    await expectNoSeriousAxeViolations(page);
    await shootBothThemes(page, `key-refusals-${width}`);
  });
}
