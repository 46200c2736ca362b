import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type Page } from "@playwright/test";
import { startFakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/**
 * Admin → Models shows each model's deployments as PRODUCT.md "Health you can see" asks: a
 * deployment whose server fails is "Cooling down" with its last error, the healthy one
 * beside it answers, and an admin adds, tests and disables deployments there. With
 * MB_SHOTS_DIR set, the page is photographed at desktop and phone width.
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

test("a failing deployment shows as cooling down with its last error; deployments can be added and disabled", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const t = randomBytes(4).toString("hex");
  const upstream = await startFakeUpstream();
  try {
    await signInAsPlatformAdmin(page);
    const api = page.request;
    const headers = sameOrigin();
    const created = await api.post("/api/v1/models", {
      headers,
      data: {
        name: `routed-${t}`,
        base_url: upstream.url,
        upstream_model: `fault:429-retry-after:${t}`,
        input_price_per_million: "1.00",
        output_price_per_million: "2.00",
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const model = (await created.json()) as { id: string };
    const second = await api.post(`/api/v1/models/${model.id}/deployments`, {
      headers,
      data: { base_url: upstream.url, upstream_model: `fault:ok:${t}`, weight: 3 },
    });
    expect(second.status(), await second.text()).toBe(201);
    const key = await api.post("/api/v1/keys", { headers, data: { name: `routed ${t}` } });
    const { key: secret } = (await key.json()) as { key: string };
    const client = new OpenAI({
      apiKey: secret,
      baseURL: `${process.env.MB_BASE_URL}/v1`,
      maxRetries: 0,
    });
    // Until the failing deployment has been asked once: its 429 with a 120 s Retry-After
    // opens its breaker at once, for that long (a page load on a busy machine cannot outlast it).
    for (let i = 0; i < 30; i++) {
      await client.chat.completions.create({
        model: `routed-${t}`,
        messages: [{ role: "user", content: "hi" }],
        ...({ fake_retry_after_s: 120 } as object),
      });
      const seen = (await (await fetch(`${upstream.url}/_fake/seen`)).json()) as Record<
        string,
        number[]
      >;
      if ((seen[`fault:429-retry-after:${t}`] ?? []).length >= 1) break;
    }

    await page.goto("/admin/models");
    const list = page.getByRole("list", { name: `Deployments of routed-${t}` }).first();
    await expect(list.getByText("Cooling down")).toBeVisible();
    await expect(list.getByText(/Last error: rate_limited \(429\)/)).toBeVisible();
    await expect(list.getByText("Healthy")).toBeVisible();
    // The success rate comes from usage rows, written in batches: reload until they are in.
    await expect(async () => {
      await page.reload();
      await expect(list.getByText(/Success \(15 min\): 100%/).first()).toBeVisible({
        timeout: 2_000,
      });
    }).toPass({ timeout: 30_000 });
    await shoot(page, "admin-models-deployments");

    // Disable the healthy one; add a third.
    await page
      .getByRole("button", { name: `Disable deployment 2 of routed-${t}` })
      .first()
      .click();
    await expect(list.getByText("Disabled")).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: `routed-${t}` });
    await row.getByRole("button", { name: "Add deployment" }).click();
    const form = row.getByRole("form", { name: `Add a deployment to routed-${t}` });
    await form.getByLabel("Base URL").fill(upstream.url);
    await form.getByLabel("Upstream model").fill(`fault:ok:${t}`);
    await form.getByRole("button", { name: "Add deployment" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(3);
  } finally {
    await upstream.stop();
  }
});
