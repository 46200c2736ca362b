import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { keyRow } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";

/** One money format (two decimals, two significant digits under a cent) and one time format (relative, full on hover). */
test("money and times read the same everywhere: relative times with the full time on hover, small spends visible", async ({
  page,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: {
      name: "formats",
      spending_limit: "25.5",
      expires_at: new Date(Date.now() + 30 * 86_400_000 + 3_600_000).toISOString(),
    },
    headers: sameOrigin(),
  });
  const { key } = await created.json();
  const chat = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "a small spend" }] },
  });
  expect(chat.status()).toBe(200);

  const row = keyRow(page, "formats");
  await expect
    .poll(
      async () => {
        await page.reload();
        return row.textContent();
      },
      { message: "the spend is recorded", timeout: 15_000 },
    )
    .not.toMatch(/(^|[^.\d])0\.00 \/ 25\.50 AUD/);
  const text = (await row.textContent()) ?? "";
  // A spend of a few millionths shows with two significant digits, the limit with two decimals.
  expect(text).toMatch(/(^|[^\d.])0\.0*[1-9]\d? \/ 25\.50 AUD/);

  const times = row.locator("time");
  await expect(times.nth(0)).toHaveText("in 30 days"); // Expires
  await expect(times.nth(1)).toHaveText(/^(just now|1 min ago)$/); // Created
  await expect(times.nth(2)).toHaveText(/^(just now|\d+ min ago)$/); // Last used
  // The full date and time are in the title, with the year and the time of day.
  for (const i of [0, 1, 2])
    await expect(times.nth(i)).toHaveAttribute("title", /\d{4} at \d{2}:\d{2}:\d{2}/);

  // The usage page uses the same time format and the same money format.
  await page.goto("/usage");
  const recent = page.getByRole("table", { name: "Recent requests" }).getByRole("row").nth(1);
  await expect(recent.locator("time")).toHaveText(/^(just now|\d+ min ago)$/);
  const cost = (await recent.getByRole("cell").nth(6).textContent())?.trim() ?? "";
  expect(cost).toMatch(/^0\.0*[1-9]\d?$/);
});
