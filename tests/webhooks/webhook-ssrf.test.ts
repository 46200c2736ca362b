import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { guardedLookup } from "@/lib/net/guarded-connector";
import { updateSignupSettings } from "@/lib/settings/signup-settings";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { createWebhook } from "@/lib/webhooks/webhooks";
import { makeActor, makeAdmin } from "../helpers/actors";
import { openTestDatabase } from "../helpers/database";
import { freePort } from "../helpers/processes";
import { startReceiver } from "./receiver";

/**
 * Issue 27 item 4: an ordinary user's webhook cannot reach the operator's network. Before,
 * `{url: "http://127.0.0.1:5432/"}` then `…/test`, port by port, answered "other side
 * closed", "ECONNREFUSED 127.0.0.1:22", HTTP 405, 200: a port scanner. Now loopback and
 * private ranges are refused at save and at connect (names too, and after a DNS change),
 * unless the platform admin allows them; what the owner reads of a failure is generic.
 */
let database: Database;
let platform: Actor;
let user: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  platform = await makeAdmin(database.db, "Platform");
  user = await makeActor(database.db, "Tenant");
});

afterAll(async () => {
  await database?.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { field?: string; message?: string }) => error,
  );

const allowPrivate = (on: boolean) =>
  updateSignupSettings(database.db, platform, { webhooksAllowPrivateAddresses: on });

describe("webhooks and the operator's network", () => {
  it("at save: loopback, private and localhost URLs are refused for a user, allowed for a platform admin", async () => {
    for (const url of [
      "http://127.0.0.1:5432/",
      "http://localhost:22/",
      "http://10.0.0.5/hook",
      "http://192.168.1.1/",
      "http://[::1]:6379/",
      "http://[::ffff:127.0.0.1]/",
      "http://[fd00::1]/",
      "http://0.0.0.0:8080/",
    ]) {
      const error = await refusal(createWebhook(database.db, user, { url }));
      expect(error?.field, url).toBe("url");
      expect(error?.message).toMatch(/loopback or private/);
    }
    expect(
      (await createWebhook(database.db, platform, { url: "http://127.0.0.1:9/" })).webhook.url,
    ).toBe("http://127.0.0.1:9/");
    await allowPrivate(true);
    expect((await createWebhook(database.db, user, { url: "http://10.0.0.5/" })).webhook.url).toBe(
      "http://10.0.0.5/",
    );
    await allowPrivate(false);
  });

  it("at connect: a webhook saved while allowed is refused once the setting is off; the owner reads a generic reason", async () => {
    const receiver = await startReceiver([200]);
    try {
      await allowPrivate(true);
      const { webhook } = await createWebhook(database.db, user, { url: receiver.url });
      await allowPrivate(false);
      const delivery = await sendTestDelivery(database.db, user, webhook.id);
      expect(delivery.status).not.toBe("delivered");
      expect(receiver.received).toHaveLength(0);
      expect(delivery.lastError).toBe("could not connect: the address is not allowed for webhooks");
    } finally {
      await receiver.close();
    }
  });

  it("a name that resolves to loopback (or rebinds to it later) is refused when connecting", async () => {
    let answer = "93.184.216.34";
    const lookup = guardedLookup(
      (_name, _options, callback) => callback(null, [{ address: answer, family: 4 }]),
      true,
    );
    const resolve = () =>
      new Promise<string>((done) =>
        lookup("hooks.example.test", {}, (error, address) =>
          done(error ? error.message : String(address)),
        ),
      );
    expect(await resolve()).toBe("93.184.216.34");
    answer = "127.0.0.1";
    expect(await resolve()).toMatch(/loopback or private/);
    answer = "10.1.2.3";
    expect(await resolve()).toMatch(/loopback or private/);
  });

  it("failures read alike whatever is behind them; the detail goes to the log only", async () => {
    await allowPrivate(true);
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const closedPort = await freePort();
    const { webhook } = await createWebhook(database.db, user, {
      url: `http://127.0.0.1:${closedPort}/`,
    });
    const delivery = await sendTestDelivery(database.db, user, webhook.id);
    expect(delivery.lastError).toBe("could not connect");
    expect(delivery.lastError).not.toContain(String(closedPort));
    expect(log.mock.calls.flat().join(" ")).toContain("ECONNREFUSED");
    log.mockRestore();
    const receiver = await startReceiver([405]);
    try {
      const { webhook: other } = await createWebhook(database.db, user, { url: receiver.url });
      expect((await sendTestDelivery(database.db, user, other.id)).lastError).toBe("answered 405");
    } finally {
      await receiver.close();
      await allowPrivate(false);
    }
  });
});
