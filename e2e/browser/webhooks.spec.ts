import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "../helpers/axe";
import { PHONE, expectContentFits, expectNoSidewaysScroll } from "../helpers/layout";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";
import { shootBothThemes } from "../helpers/shots";

// One after the other: both act as the platform admin, and the first reads its newest audit entries.
test.describe.configure({ mode: "serial" });

/**
 * A receiver on loopback recording what it gets. Loopback is the operator's network: only a
 * platform admin's webhooks may reach it by default (ordinary users' are refused: covered by
 * tests/webhooks/webhook-ssrf.test.ts), so this spec runs as the platform admin.
 */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/modelbridge`,
    got,
    close: () => new Promise((r) => server.close(r)),
  };
}

test("Settings → Webhooks: add one, keep the secret shown once, send a signed test, see the delivery, delete it", async ({
  page,
}) => {
  const hook = await receiver();
  try {
    await signInAsPlatformAdmin(page);
    await page.getByRole("link", { name: "Webhooks" }).first().click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    // The platform admin may have other specs' webhooks: this one is gone from the list.
    await expect(page.getByText(hook.url)).toHaveCount(0);

    // The address rules of a model's base URL: the metadata service is refused at the field.
    await page.getByLabel("URL").fill("http://169.254.169.254/latest");
    await page.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByLabel("URL")).toHaveAccessibleDescription(
      /link-local or cloud metadata/,
    );

    await page.getByLabel("URL").fill(hook.url);
    await page.getByLabel("Description").fill("ops alerts");
    await page.getByRole("button", { name: "Add webhook" }).click();
    const dialog = page.getByRole("dialog", { name: "Save the signing secret" });
    const secret = await dialog.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText(secret)).toHaveCount(0);

    const card = page.getByRole("listitem", { name: hook.url });
    await expect(card).toContainText("ops alerts");
    await card.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByText(/Delivered: the receiver answered 204/)).toBeVisible();
    await expect(card.getByTestId("delivery-row")).toHaveCount(1);
    await expect(card.getByTestId("delivery-row")).toContainText("webhook.test");
    await expect(card.getByTestId("delivery-row")).toContainText("Delivered");
    await expect(card.getByTestId("delivery-row")).toContainText("HTTP 204");

    // The receiver can check the signature with the secret it was shown.
    expect(hook.got).toHaveLength(1);
    const [{ headers, body }] = hook.got;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers["modelbridge-signature"]))!;
    expect(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")).toBe(v1);
    expect(JSON.parse(body).type).toBe("webhook.test");

    await card.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: "Delete this webhook?" })
      .getByRole("button", { name: "Delete webhook" })
      .click();
    // The platform admin may have other specs' webhooks: this one is gone from the list.
    await expect(page.getByText(hook.url)).toHaveCount(0);

    // Every step is in the user's audit log.
    await page.goto("/settings/audit-log?area=webhook.");
    // The platform admin's log also holds other specs' webhooks: this one's are the newest.
    const entries = page.getByTestId("audit-entry");
    await expect(entries.nth(0)).toContainText(`deleted the webhook to ${hook.url}`);
    await expect(entries.nth(1)).toContainText("sent a test to the webhook");
    await expect(entries.nth(2)).toContainText(`added a webhook to ${hook.url}`);
  } finally {
    await hook.close();
  }
});

test("at 390 wide a long description wraps inside its card, and the deliveries box can be reached and scrolled by keyboard", async ({
  page,
}) => {
  const hook = await receiver();
  try {
    await page.setViewportSize(PHONE);
    await signInAsPlatformAdmin(page);
    await page.goto("/settings/webhooks");
    const description = `alerts-for-the-${"very-long-".repeat(12)}pipeline`;
    await page.getByLabel("URL").fill(hook.url);
    await page.getByLabel("Description").fill(description);
    await page.getByRole("button", { name: "Add webhook" }).click();
    await page
      .getByRole("dialog", { name: "Save the signing secret" })
      .getByRole("button", { name: "Done" })
      .click();
    const card = page.getByRole("listitem", { name: hook.url });
    await expect(card).toContainText(description);
    await expectContentFits(card);
    await expectNoSidewaysScroll(page);

    await card.getByRole("button", { name: "Send test" }).click();
    await expect(card.getByTestId("delivery-row")).toHaveCount(1);
    const box = card.getByRole("region", { name: `Recent deliveries to ${hook.url}` });
    await card.getByRole("button", { name: "Delete" }).focus();
    await page.keyboard.press("Tab");
    await expect(box).toBeFocused();
    // Its table is wider than a phone: the arrow keys scroll it.
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await expectNoSeriousAxeViolations(page);
    await shootBothThemes(page, "webhooks-390");

    await card.getByRole("button", { name: "Delete" }).click();
    await page
      .getByRole("dialog", { name: "Delete this webhook?" })
      .getByRole("button", { name: "Delete webhook" })
      .click();
    await expect(page.getByText(hook.url)).toHaveCount(0);
  } finally {
    await hook.close();
  }
});
