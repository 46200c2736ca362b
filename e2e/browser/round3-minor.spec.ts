import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { createKeyInPage } from "../helpers/api-keys-page";
import { DESKTOP, PHONE } from "../helpers/layout";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/** Issue 31's minor items: each as the person who ran into it would check it. */

test("a hand-edited ?range= on Usage says so in words and shows the default range, never validator text", async ({
  page,
}) => {
  await signUp(page);
  const main = page.locator("main");
  await page.goto("/usage?range=abc");
  await expect(main.getByRole("alert")).toHaveText(
    "“abc” is not a range this page offers (7, 30 or 90 days). Showing the last 30 days instead.",
  );
  await expect(page.getByText("No requests in the last 30 days")).toBeVisible();
  await expect(main).not.toContainText(/Invalid option|expected one of/);

  await page.goto("/usage?from=yesterday");
  await expect(main.getByRole("alert")).toHaveText(
    "The start date “yesterday” cannot be used: enter a date like 2026-05-01 or an ISO 8601 time. Showing the last 30 days instead.",
  );
  await page.goto(`/usage?to=${"9".repeat(60)}`);
  await expect(main.getByRole("alert")).toContainText("Showing the last 30 days instead.");
  await expect(main).not.toContainText(/Too big|expected string/);
});

test("Admin → Models: the link-local error under Base URL goes once the URL is changed; hints show code, not backticks", async ({
  page,
}) => {
  await signInAsPlatformAdmin(page);
  await page.goto("/admin/models");
  await page.getByRole("button", { name: "Register model" }).click();
  const form = page.getByRole("dialog", { name: "Register a model" });
  const name = form.getByLabel("Name");
  await expect(name).toHaveAccessibleDescription(
    "What clients send as model, e.g. qwen2.5-7b-instruct.",
  );
  await expect(form.getByText(/`/)).toHaveCount(0);
  await expect(form.locator("code", { hasText: /^model$/ })).toBeVisible();

  await name.fill(`metadata-${randomBytes(4).toString("hex")}`);
  const baseUrl = form.getByLabel("Base URL");
  await baseUrl.fill("http://169.254.169.254/v1");
  await form.getByLabel("Input price per 1M tokens (AUD)").fill("0.50");
  await form.getByLabel("Output price per 1M tokens (AUD)").fill("1.50");
  await form.getByRole("button", { name: "Register model" }).click();
  await expect(baseUrl).toHaveAccessibleDescription(/link-local or cloud metadata/);
  await expect(baseUrl).toHaveAttribute("aria-invalid", "true");

  // Fixed: the error about the old address no longer stands under the field.
  await baseUrl.fill("http://vllm.internal:8000/v1");
  await expect(form.getByText(/link-local or cloud metadata/)).toHaveCount(0);
  await expect(baseUrl).not.toHaveAttribute("aria-invalid", "true");
  await expect(baseUrl).toHaveAccessibleDescription(/OpenAI-compatible/);
  await page.keyboard.press("Escape");
});

test("the usage charts' axis labels are whole: the last day and the spend labels, at 1366 and 390 wide", async ({
  page,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "charts" },
    headers: sameOrigin(),
  });
  const { key } = (await created.json()) as { key: string };
  const client = new OpenAI({
    baseURL: `${process.env.MB_BASE_URL}/v1`,
    apiKey: key,
    maxRetries: 0,
  });
  await client.chat.completions.create({
    model: "modelbridge/echo",
    messages: [{ role: "user", content: "a question for the charts" }],
    max_tokens: 16,
  });
  const charts = page.locator("figure[data-chart]");
  await expect(async () => {
    await page.goto("/usage");
    await expect(charts.first().locator(".recharts-bar-rectangle").first()).toBeVisible({
      timeout: 1_000,
    });
    // Usage is written in batches; a loaded machine takes a while.
  }).toPass({ timeout: 45_000 });

  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await expect(charts).toHaveCount(3);
    // Every label drawn inside its chart's box (the svg clips what is outside).
    await expect(async () => {
      const cut = await charts.evaluateAll((figures) =>
        figures.flatMap((figure) => {
          // The chart's own svg, not a legend icon's (also .recharts-surface).
          const svg = figure.querySelector(".recharts-wrapper > svg");
          if (!svg) return ["no chart"];
          const box = svg.getBoundingClientRect();
          const labels = [...svg.querySelectorAll(".recharts-cartesian-axis-tick-value")];
          if (labels.length < 4) return ["labels not drawn yet"];
          return labels
            .filter((label) => {
              const r = label.getBoundingClientRect();
              return r.left < box.left - 0.5 || r.right > box.right + 0.5;
            })
            .map((label) => label.textContent ?? "");
        }),
      );
      expect(cut, `labels cut at ${viewport.width} wide`).toEqual([]);
    }).toPass({ timeout: 5_000 });
  }
});

test("the remove-member confirmation opens under the row without moving the role select; Roll and Revoke focus Cancel", async ({
  browser,
}) => {
  const aContext = await browser.newContext();
  const bContext = await browser.newContext();
  const a = await aContext.newPage();
  const b = await bContext.newPage();
  const bAccount = await signUp(b);
  await signUp(a);

  await createKeyInPage(a, { name: "dialog focus" });
  for (const [action, title] of [
    ["Roll", 'Roll "dialog focus"?'],
    ["Revoke", 'Revoke "dialog focus"?'],
  ]) {
    await a.getByRole("button", { name: "Actions for dialog focus", exact: true }).click();
    await a.getByRole("menuitem", { name: action, exact: true }).click();
    const dialog = a.getByRole("dialog", { name: title });
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  }

  const teamName = `Jump ${randomBytes(3).toString("hex")}`;
  await a.goto("/settings/teams");
  await a.getByLabel("Team name").fill(teamName);
  await a.getByRole("button", { name: "Create team" }).click();
  const team = a.getByRole("region", { name: teamName });
  await team.getByLabel("Email").fill(bAccount.email);
  await team.getByRole("button", { name: "Add member" }).click();
  const role = team.getByLabel(`Role of ${bAccount.name}`);
  await expect(role).toHaveValue("member");

  for (const viewport of [DESKTOP, PHONE]) {
    await a.setViewportSize(viewport);
    // Where it is on the page (not the window: clicking may scroll at 390 wide).
    const place = () =>
      role.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width };
      });
    await role.scrollIntoViewIfNeeded();
    const before = await place();
    await team.getByRole("button", { name: `Remove ${bAccount.name}` }).click();
    await expect(team.getByRole("button", { name: "Remove member" })).toBeVisible();
    expect(await place(), `the role select stays put at ${viewport.width}`).toEqual(before);
    await team.getByRole("button", { name: "Cancel" }).click();
    await expect(team.getByRole("button", { name: "Remove member" })).toHaveCount(0);
  }
  await aContext.close();
  await bContext.close();
});

test("Settings → Account changes the name and email: a taken email is refused next to the field, the change is audited", async ({
  page,
}) => {
  const account = await signUp(page);
  await page.goto("/settings/account");
  const profile = page.getByRole("region", { name: "Profile" });
  await expect(profile.getByLabel("Name")).toHaveValue(account.name);
  await expect(profile.getByLabel("Email")).toHaveValue(account.email);

  await profile.getByLabel("Email").fill(process.env.MB_ADMIN_EMAIL!.toUpperCase());
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(profile.getByLabel("Email")).toHaveAccessibleDescription(
    "Another account already uses this email.",
  );
  await expect(profile.getByLabel("Email")).toBeFocused();

  const email = `renamed-${randomBytes(4).toString("hex")}@example.com`;
  await profile.getByLabel("Name").fill("Renamed Person");
  await profile.getByLabel("Email").fill(email);
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(profile.getByRole("status")).toHaveText("Name and email saved.");
  await expect(page.getByText(`Signed in as ${email}.`)).toBeVisible();
  await page.reload();
  await expect(profile.getByLabel("Name")).toHaveValue("Renamed Person");
  await expect(profile.getByLabel("Email")).toHaveValue(email);

  await page.goto("/settings/audit-log");
  await expect(
    page.getByText(
      `changed their name from “${account.name}” to “Renamed Person” and their email from ${account.email} to ${email}`,
    ),
  ).toBeVisible();
});
