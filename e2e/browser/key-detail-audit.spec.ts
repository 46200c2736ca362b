import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "../helpers/accounts";
import { createKeyInPage } from "../helpers/api-keys-page";
import { DESKTOP, PHONE, expectNoSidewaysScroll } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";

/** Issue 31, items 8 and 14: the audit log in sentences with filters; the key detail page; the key list's view in its URL. */

for (const [width, viewport] of [
  ["1366", DESKTOP],
  ["390", PHONE],
] as const) {
  test(`a key's own page: ids, settings, usage, requests, controls and audit trail (${width} wide)`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await signUp(page);
    const raw = await createKeyInPage(page, { name: "detail key", limit: "5" });
    const chat = await page.request.post("/v1/chat/completions", {
      headers: { authorization: `Bearer ${raw}` },
      data: { model: "modelbridge/echo", messages: [{ role: "user", content: "detail" }] },
    });
    expect(chat.status()).toBe(200);
    const id = (await (await page.request.get("/api/v1/keys?owner=personal")).json()).data.find(
      (k: { name: string }) => k.name === "detail key",
    ).id as string;
    await expect
      .poll(
        async () => (await (await page.request.get(`/api/v1/keys/${id}/usage`)).json()).data.length,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);

    await page.getByRole("link", { name: "detail key" }).first().click();
    await expect(page).toHaveURL(new RegExp(`/settings/api-keys/${id}$`));
    await expect(page.getByRole("heading", { name: "detail key", level: 1 })).toBeVisible();
    const ids = page.getByRole("region", { name: "Identifiers" });
    await expect(ids.getByText(id, { exact: true })).toBeVisible();
    await expect(ids.getByRole("button", { name: "Copy key id" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Settings" })).toContainText("5.00");
    // What is left is exact, as on the key's row: one echo request leaves 4.9999xx, not "5.00".
    await expect(page.getByRole("region", { name: "Settings" })).toContainText(
      /4\.9999\d\d AUD left/,
    );
    await expect(page.getByTestId("key-usage-totals")).toContainText("1 request ·");
    const requests = page.getByRole("region", { name: "Recent requests" });
    await expect(requests.getByText("modelbridge/echo").filter({ visible: true })).toHaveCount(1);
    const trail = page.getByTestId("key-audit-entry");
    await expect(trail).toHaveCount(1);
    await expect(trail.first()).toContainText("created the key “detail key”");

    // Its controls: Pause shows at once in the status and the trail.
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByRole("button", { name: "Resume" })).toBeVisible();
    await expect(trail.first()).toContainText("paused the key “detail key”");
    await expectNoSidewaysScroll(page);

    // Someone else gets the not-found page, not the key.
    const other = await page.context().browser()!.newContext({ baseURL: process.env.MB_BASE_URL });
    const stranger = await other.newPage();
    await signUp(stranger);
    await stranger.goto(`/settings/api-keys/${id}`);
    await expect(stranger.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(stranger.getByText("detail key")).toHaveCount(0);
    await other.close();
  });
}

test("the key list keeps search, status, sort and page in the URL", async ({ page }) => {
  await signUp(page);
  for (const name of ["alpha", "beta", "gamma"]) {
    expect(
      (await page.request.post("/api/v1/keys", { data: { name }, headers: sameOrigin() })).status(),
    ).toBe(201);
  }
  await page.reload();
  await page.getByLabel("Search").fill("a");
  await page.getByLabel("Status").selectOption("");
  await page.getByRole("button", { name: "Name" }).click();
  await page.getByRole("button", { name: "Name" }).click();
  await expect(page).toHaveURL(/\?q=a&status=all&sort=-name$/);
  await page.reload();
  await expect(page.getByLabel("Search")).toHaveValue("a");
  await expect(page.getByLabel("Status")).toHaveValue("");
  const names = page.getByRole("table").locator("tbody tr td:first-child a");
  await expect(names).toHaveText(["gamma", "beta", "alpha"]);
});

test("the audit log reads as sentences with names, filtered by who, what, when and words", async ({
  browser,
}) => {
  const teamName = `R&D ${Date.now().toString(36)}`;
  const dave = newAccount({ name: `Dave ${Date.now().toString(36)}` });
  const daveContext = await browser.newContext();
  const davePage = await daveContext.newPage();
  await signUp(davePage, dave);

  const context = await browser.newContext();
  const page = await context.newPage();
  const carol = await signUp(page, { name: `Carol ${Date.now().toString(36)}` });
  const team = await (
    await page.request.post("/api/v1/teams", { data: { name: teamName }, headers: sameOrigin() })
  ).json();
  const added = await page.request.post(`/api/v1/teams/${team.id}/members`, {
    data: { email: dave.email, role: "member" },
    headers: sameOrigin(),
  });
  expect(added.status()).toBe(201);
  const daveId = (
    await (await page.request.get(`/api/v1/teams/${team.id}/members`)).json()
  ).data.find((m: { email: string }) => m.email === dave.email).user_id as string;
  expect(
    (
      await davePage.request.post("/api/v1/keys", {
        data: { name: "dave's key", team_id: team.id },
        headers: sameOrigin(),
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await page.request.delete(`/api/v1/teams/${team.id}/members/${daveId}`, {
        headers: sameOrigin(),
      })
    ).status(),
  ).toBeLessThan(300);

  await page.goto("/settings/audit-log");
  const entries = page.getByTestId("audit-entry");
  await expect(
    entries.filter({
      hasText: `${carol.name} revoked the key “dave's key” in ${teamName} (its creator left the team).`,
    }),
  ).toHaveCount(1);
  await expect(
    entries.filter({
      hasText: `${carol.name} removed ${dave.name} from ${teamName}; 1 key revoked.`,
    }),
  ).toHaveCount(1);
  await expect(
    entries.filter({ hasText: `${carol.name} added ${dave.name} to ${teamName} as a member.` }),
  ).toHaveCount(1);
  await expect(page.getByRole("main")).not.toContainText("team.member.remove");

  // Who: Dave's own key creation is in the team's log; filter to him.
  await page.getByLabel("Who").selectOption({ label: dave.name });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=/);
  await expect(entries).toHaveText([
    new RegExp(`^.*${dave.name} created the key “dave's key” in ${teamName}\\.$`),
  ]);
  // What + words.
  await page.goto("/settings/audit-log");
  await page.getByLabel("What").selectOption({ label: "Teams and members" });
  await page.getByLabel("Search").fill(dave.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText(`added ${dave.name} to ${teamName}`);
  // Clear empties every field, not only the URL.
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/settings\/audit-log$/);
  await expect(page.getByLabel("What")).toHaveValue("");
  await expect(page.getByLabel("Search")).toHaveValue("");
  // When: a day range before today finds nothing.
  await page.goto("/settings/audit-log?from=2020-01-01&to=2020-01-02");
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await context.close();
  await daveContext.close();
});
