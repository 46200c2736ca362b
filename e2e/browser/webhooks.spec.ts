import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";

/** A receiver on loopback (allowed, like a self-hosted model server) recording what it gets. */
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
    await signUp(page);
    await page.getByRole("link", { name: "Webhooks" }).first().click();
    await expect(page).toHaveURL(/\/settings\/webhooks$/);
    await expect(page.getByText("No webhooks yet.")).toBeVisible();

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
    await expect(page.getByText("No webhooks yet.")).toBeVisible();

    // Every step is in the user's audit log.
    await page.goto("/settings/audit-log?area=webhook.");
    await expect(page.getByTestId("audit-entry")).toHaveText([
      /webhook\.delete/,
      /webhook\.test/,
      /webhook\.create/,
    ]);
  } finally {
    await hook.close();
  }
});
