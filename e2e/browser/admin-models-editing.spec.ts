import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type Page } from "@playwright/test";
import { startFakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/**
 * Admin → Models edits routing in the dashboard (PRODUCT.md "Routing": "deployments can be
 * added, edited, disabled and tested there"): a deployment's URL, weight, tier and its own
 * requests per minute, with the mistake named next to its field; a deployment removed after
 * a confirmation; the model's fallbacks and deadline, with an unknown fallback refused next
 * to the field. What the page saved is what `/v1` then does: the limit set in the form holds
 * (503 no_healthy_deployment once it is used), and the fallback answers.
 * With MB_SHOTS_DIR set, the forms are photographed at desktop and phone width.
 */
const shotsDir = process.env.MB_SHOTS_DIR;

async function shoot(page: Page, name: string) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  const desktop = page.viewportSize() ?? { width: 1366, height: 900 };
  await page.screenshot({ path: path.join(shotsDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shotsDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(desktop);
}

test("deployments and fallbacks are edited in Admin → Models, with errors next to fields, and /v1 follows", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const t = randomBytes(4).toString("hex");
  const upstream = await startFakeUpstream();
  try {
    await signInAsPlatformAdmin(page);
    const api = page.request;
    const headers = sameOrigin();
    for (const name of [`edit-fb-${t}`, `edit-${t}`]) {
      const created = await api.post("/api/v1/models", {
        headers,
        data: {
          name,
          base_url: upstream.url,
          upstream_model: `fault:ok:${name}`,
          input_price_per_million: "1.00",
          output_price_per_million: "2.00",
        },
      });
      expect(created.status(), await created.text()).toBe(201);
    }
    const key = await api.post("/api/v1/keys", { headers, data: { name: `edit ${t}` } });
    const { key: secret } = (await key.json()) as { key: string };
    const client = new OpenAI({
      apiKey: secret,
      baseURL: `${process.env.MB_BASE_URL}/v1`,
      maxRetries: 0,
    });
    const ask = () =>
      client.chat.completions
        .create({ model: `edit-${t}`, messages: [{ role: "user", content: "hi" }] })
        .then(
          (answer) => ({ status: 200, model: answer.model }),
          (error: InstanceType<typeof OpenAI.APIError>) => ({
            status: error.status,
            code: error.code,
          }),
        );

    await page.goto("/admin/models");
    const row = page.getByRole("row").filter({
      has: page.getByRole("list", { name: `Deployments of edit-${t}`, exact: true }),
    });
    const list = row.getByRole("list", { name: `Deployments of edit-${t}`, exact: true });

    // A second deployment, added in the page.
    await row.getByRole("button", { name: "Add deployment" }).click();
    const add = row.getByRole("form", { name: `Add a deployment to edit-${t}` });
    await add.getByRole("button", { name: "Add deployment" }).click();
    await expect(add.getByText("Enter the deployment's base URL")).toBeVisible();
    await add.getByLabel("Base URL").fill(upstream.url);
    await add.getByLabel("Upstream model").fill(`fault:ok:second-${t}`);
    await add.getByLabel("Priority tier").fill("1");
    await add.getByRole("button", { name: "Add deployment" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(2);

    // Edit the first: a limit that is not a number is named next to its field, then saved.
    await row.getByRole("button", { name: `Edit deployment 1 of edit-${t}` }).click();
    const edit = row.getByRole("form", { name: `Edit deployment 1 of edit-${t}` });
    await expect(edit.getByLabel("Base URL")).toHaveValue(upstream.url);
    await edit.getByLabel("Requests per minute").fill("lots");
    await edit.getByLabel("Weight").fill("0");
    await edit.getByRole("button", { name: "Save deployment" }).click();
    await expect(edit.getByLabel("Requests per minute")).toHaveAttribute("aria-invalid", "true");
    await expect(edit.getByText("Enter a whole number from 1 to 100,000,000")).toBeVisible();
    await expect(edit.getByText("Enter a whole number from 1 to 1,000")).toBeVisible();
    await shoot(page, "admin-models-deployment-errors");
    await edit.getByLabel("Requests per minute").fill("2");
    await edit.getByLabel("Weight").fill("3");
    await edit.getByRole("button", { name: "Save deployment" }).click();
    await expect(list.getByText("Limits: 2 req/min")).toBeVisible();
    await expect(list.getByText("#1 · tier 0 · weight 3")).toBeVisible();

    // Remove the second, after saying so.
    await row.getByRole("button", { name: `Remove deployment 2 of edit-${t}` }).click();
    const confirm = page.getByRole("dialog", { name: `Remove deployment 2 of edit-${t}?` });
    await confirm.getByRole("button", { name: "Remove deployment" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);

    // /v1 follows: two requests a minute on the one deployment, then 503 no_healthy_deployment
    // (counted per UTC minute: started clear of a minute's end, so all three fall in one).
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await page.waitForTimeout(60_000 - intoMinute + 200);
    const outcomes = [await ask(), await ask(), await ask()];
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(2);
    expect(outcomes.at(-1)).toMatchObject({ status: 503, code: "no_healthy_deployment" });

    // Fallbacks: an unknown name is named next to the field; a real one is saved and answers.
    await row.getByRole("button", { name: `Edit edit-${t}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit edit-${t}` });
    await dialog.getByLabel("Fallbacks", { exact: true }).fill(`no-such-${t}`);
    await dialog.getByLabel("Deadline (ms)").fill("10");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog.getByText("Enter a whole number from 100 to 3,600,000")).toBeVisible();
    await dialog.getByLabel("Deadline (ms)").fill("20000");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog.getByText(`No model is named 'no-such-${t}'.`)).toBeVisible();
    await expect(dialog.getByLabel("Fallbacks", { exact: true })).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    await shoot(page, "admin-models-routing-errors");
    await dialog.getByLabel("Fallbacks", { exact: true }).fill(`edit-fb-${t}`);
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(row.getByText(`falls back to edit-fb-${t}`)).toBeVisible();
    await shoot(page, "admin-models-edited");

    // The primary allows 2 a minute: within 3 more requests the fallback answers, named in the
    // body (the primary may have room again if a new minute began meanwhile).
    const later = [await ask(), await ask(), await ask()];
    expect(later).toContainEqual({ status: 200, model: `edit-fb-${t}` });
    expect(later.every((o) => o.status === 200)).toBe(true);
  } finally {
    await upstream.stop();
  }
});
