import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";
import { sameOrigin } from "../helpers/management";

/** Revoked keys are hidden unless asked for, the cap counter ignores them, and a long list is paged. */
test("revoked keys hidden by default, an N / 50 active counter, and pages past 50 rows", async ({
  page,
}) => {
  await signUp(page);
  const create = async (name: string) => {
    const response = await page.request.post("/api/v1/keys", {
      data: { name },
      headers: sameOrigin(),
    });
    expect(response.status()).toBe(201);
    return (await response.json()).id as string;
  };
  const first: string[] = [];
  for (let i = 0; i < 50; i++) first.push(await create(`bulk ${String(i).padStart(2, "0")}`));
  for (const id of first.slice(0, 10)) {
    expect(
      (await page.request.post(`/api/v1/keys/${id}/revoke`, { headers: sameOrigin() })).status(),
    ).toBe(200);
  }
  for (let i = 50; i < 60; i++) await create(`bulk ${i}`);
  await page.reload();

  const dataRows = page.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(page.getByTestId("active-key-counter")).toHaveText("50 / 50 active");
  await expect(page.getByRole("status").filter({ hasText: "Showing" })).toHaveText(
    "Showing 50 of 60 keys (10 revoked hidden)",
  );
  await expect(dataRows).toHaveCount(50);
  await expect(page.getByRole("table").getByText("Revoked", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Pages" })).toHaveCount(0);

  // Every status: 60 keys, 50 to a page.
  await page.getByLabel("Status").selectOption("");
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages).toContainText("Page 1 of 2");
  await expect(dataRows).toHaveCount(50);
  await pages.getByRole("button", { name: "Next" }).click();
  await expect(pages).toContainText("Page 2 of 2");
  await expect(dataRows).toHaveCount(10);
  await expect(pages.getByRole("button", { name: "Next" })).toBeDisabled();
  await pages.getByRole("button", { name: "Previous" }).click();
  await expect(dataRows).toHaveCount(50);

  // Revoked only: exactly the ten, and the counter still counts active keys alone.
  await page.getByLabel("Status").selectOption("revoked");
  await expect(dataRows).toHaveCount(10);
  await expect(page.getByTestId("active-key-counter")).toHaveText("50 / 50 active");
});
