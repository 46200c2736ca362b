import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { keyRow } from "../helpers/api-keys-page";
import { sameOrigin } from "../helpers/management";

/** Statuses read as words (the API keeps its snake_case values), and the bar says what is left. */
test("statuses have plain labels in badges and in the filter, and the remaining amount shows by the bar", async ({
  page,
}) => {
  await signUp(page);
  const create = async (data: Record<string, unknown>) => {
    const response = await page.request.post("/api/v1/keys", { data, headers: sameOrigin() });
    expect(response.status()).toBe(201);
    return response.json();
  };
  await create({ name: "roomy", spending_limit: "10" });
  const tiny = await create({ name: "tiny budget" });
  const gone = await create({ name: "gone" });
  expect(
    (await page.request.post(`/api/v1/keys/${gone.id}/revoke`, { headers: sameOrigin() })).status(),
  ).toBe(200);

  // A request spends a little; a limit set below that spend means the key has reached it.
  const chat = await page.request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${tiny.key}` },
    data: { model: "modelbridge/echo", messages: [{ role: "user", content: "spend it" }] },
  });
  expect(chat.status()).toBe(200);
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/keys/${tiny.id}`)).json()).spend, {
      message: "the spend is recorded",
      timeout: 15_000,
    })
    .not.toBe("0.00");
  const lowered = await page.request.patch(`/api/v1/keys/${tiny.id}`, {
    data: { spending_limit: "0.000001" },
    headers: sameOrigin(),
  });
  expect(lowered.status()).toBe(200);

  await page.reload();
  await expect(keyRow(page, "roomy")).toContainText("Active");
  await expect(keyRow(page, "roomy")).toContainText("10.00 AUD left");
  await expect(keyRow(page, "tiny budget")).toContainText("Limit reached");
  await expect(keyRow(page, "tiny budget")).toContainText("0.00 AUD left");

  // The filter speaks the same words; the API still says limit_reached.
  const options = await page.getByLabel("Status").locator("option").allTextContents();
  expect(options).toEqual(
    [
      "All but revoked",
      "All statuses",
      "Active",
      "Limit reached",
      "Paused",
      "Expired",
      "Revoked",
    ].filter((o) => options.includes(o)),
  );
  expect(options).toEqual(
    expect.arrayContaining(["Active", "Limit reached", "Expired", "Revoked"]),
  );
  expect(options.join(" ")).not.toMatch(/limit_reached|^active$/);
  await page.getByLabel("Status").selectOption({ label: "Limit reached" });
  await expect(page.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(1);
  await page.getByLabel("Status").selectOption({ label: "Revoked" });
  await expect(keyRow(page, "gone")).toContainText("Revoked");
  expect(await page.getByRole("table").textContent()).not.toContain("limit_reached");

  const api = await page.request.get(`/api/v1/keys/${tiny.id}`);
  expect((await api.json()).status).toBe("limit_reached");
});
