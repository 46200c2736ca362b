import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { sameOrigin } from "../helpers/management";
import { signInAsPlatformAdmin } from "../helpers/platform-admin";

/** An upstream that answers GET /models only with the right credential, as a real one does. */
async function guardedUpstream(secret: string) {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      if (req.headers.authorization !== `Bearer ${secret}`) {
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: "bad key" } }));
        return;
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ object: "list", data: [{ id: "upstream-m1" }] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test("a form error keeps the typed credential; the Edit dialog says a credential is set; Test connection checks it", async ({
  page,
}) => {
  const secret = `sk-${randomBytes(8).toString("hex")}`;
  const upstream = await guardedUpstream(secret);
  const name = `test-conn-${randomBytes(3).toString("hex")}`;
  try {
    await signInAsPlatformAdmin(page);
    await page.goto("/admin/models");
    await page.getByRole("button", { name: "Register model" }).click();
    const form = page.getByRole("dialog", { name: "Register a model" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Base URL").fill(upstream.url);
    await form.getByLabel("Upstream model").fill("upstream-m1");
    await form.getByLabel("API key", { exact: true }).fill(secret);
    await form.getByLabel("Input price per 1M tokens (AUD)").fill("not a price");
    await form.getByLabel("Output price per 1M tokens (AUD)").fill("1.50");
    await form.getByRole("button", { name: "Register model" }).click();

    // The error is named at its field, and nothing the admin typed is lost, the credential included.
    await expect(form.getByLabel("Input price per 1M tokens (AUD)")).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    await expect(form.getByLabel("API key", { exact: true })).toHaveValue(secret);
    await expect(form.getByLabel("Base URL")).toHaveValue(upstream.url);

    // Test connection before saving uses what is typed.
    await form.getByRole("button", { name: "Test connection" }).click();
    await expect(form.getByRole("status")).toContainText("Connected");

    await form.getByLabel("Input price per 1M tokens (AUD)").fill("0.50");
    await form.getByRole("button", { name: "Register model" }).click();
    await expect(form).toHaveCount(0);
    await expect(page.getByText(`Registered ${name}.`)).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("credential set");

    // Edit: the credential's state is said; blank keeps it, and Test connection uses the stored one.
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${name}` });
    await expect(edit.getByText("Credential set (stored encrypted).")).toBeVisible();
    await expect(edit.getByLabel("API key", { exact: true })).toHaveValue("");
    await expect(edit.getByLabel("API key", { exact: true })).toHaveAccessibleDescription(
      /Leave blank to keep the stored credential/,
    );
    await expect(edit.getByLabel("Remove the stored API key")).toBeVisible();
    await edit.getByRole("button", { name: "Test connection" }).click();
    await expect(edit.getByRole("status")).toContainText(
      "Connected: the server answered with this credential.",
    );
    await edit.getByLabel("API key", { exact: true }).fill("sk-wrong");
    await edit.getByRole("button", { name: "Test connection" }).click();
    await expect(edit.getByRole("status")).toContainText(
      "The server refused the credential (HTTP 401).",
    );
    await page.keyboard.press("Escape");
    await expect(edit).toHaveCount(0);

    // The management API has the same check.
    const list = await (await page.request.get("/api/v1/models")).json();
    const id = (list.data ?? list).find((m: { name: string }) => m.name === name).id as string;
    const tested = await page.request.post(`/api/v1/models/${id}/test`, { headers: sameOrigin() });
    expect(tested.status()).toBe(200);
    expect(await tested.json()).toMatchObject({ ok: true, status: 200 });

    // Leave the shared install as it was: the model off.
    await page.getByRole("button", { name: `Disable ${name}` }).click();
    await expect(page.getByText(`Disabled ${name}.`)).toBeVisible();
  } finally {
    await upstream.close();
  }
});
