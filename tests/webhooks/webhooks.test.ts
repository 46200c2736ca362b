import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, webhookDeliveries, webhooks } from "@/db/schema";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { RETRY_DELAYS_MS, MAX_ATTEMPTS } from "@/lib/webhooks/backoff";
import { enqueueDeliveries } from "@/lib/webhooks/deliveries";
import { createWebhookBody } from "@/lib/webhooks/schemas";
import { sendWebhook } from "@/lib/webhooks/send";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/webhooks/signature";
import { sendTestDelivery } from "@/lib/webhooks/test-delivery";
import { createWebhook, deleteWebhook, listWebhooks } from "@/lib/webhooks/webhooks";
import { runDueDeliveries } from "@/lib/webhooks/worker";
import { makeActor, letEveryoneMakeTeams, allowPrivateWebhooks } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { startReceiver } from "./receiver";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await allowPrivateWebhooks(database.db);
  await letEveryoneMakeTeams(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe("webhook URLs", () => {
  it("follow a model base URL's rules: loopback and private allowed, link-local and metadata refused", () => {
    const ok = (url: string) => createWebhookBody.safeParse({ url }).success;
    expect(ok("http://127.0.0.1:9000/hook")).toBe(true);
    expect(ok("http://10.1.2.3/hook")).toBe(true);
    expect(ok("https://hooks.example.com/x")).toBe(true);
    expect(ok("http://169.254.169.254/latest/meta-data")).toBe(false);
    expect(ok("http://[fe80::1]/hook")).toBe(false);
    expect(ok("http://metadata.google.internal/")).toBe(false);
    expect(ok("ftp://example.com/")).toBe(false);
  });

  it("a name that resolves to a metadata address is refused when connecting, not only when saved", async () => {
    // 169.254.169.254 written as one decimal number is caught at save; here the sender itself is asked.
    const result = await sendWebhook("http://169.254.169.254/hook", "{}", {});
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/link-local or cloud metadata/);
  });
});

describe("webhooks", () => {
  it("signs each delivery so a real receiver can verify it with the secret shown once", async () => {
    const db = database.db;
    const ada = await makeActor(db, "Ada");
    const receiver = await startReceiver([200]);
    try {
      const { webhook, secret } = await createWebhook(db, ada, {
        url: receiver.url,
        description: "ops",
      });
      expect(secret).toMatch(/^whsec_/);
      const [stored] = await db.select().from(webhooks).where(eq(webhooks.id, webhook.id));
      expect(stored.secretCiphertext).not.toContain(secret);

      const delivery = await sendTestDelivery(db, ada, webhook.id);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200 });
      const [got] = receiver.received;
      const header = String(got.headers[SIGNATURE_HEADER]);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const now = Math.floor(Date.now() / 1000);
      expect(verifySignature(header, got.body, secret, now)).toBe(true);
      expect(verifySignature(header, got.body.replace("test", "tset"), secret, now)).toBe(false);
      expect(verifySignature(header, got.body, "whsec_wrong", now)).toBe(false);
      expect(verifySignature(header, got.body, secret, now + 3600)).toBe(false);
      expect(JSON.parse(got.body)).toMatchObject({
        id: delivery.id,
        type: "webhook.test",
        data: { webhook_id: webhook.id },
      });
      const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, webhook.id));
      expect(audit.map((r) => r.action).sort()).toEqual(["webhook.create", "webhook.test"]);
      expect(JSON.stringify(audit)).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });

  it("retries a failing receiver with backoff, driven by the clock, then records the success", async () => {
    const db = database.db;
    const bo = await makeActor(db, "Bo");
    const receiver = await startReceiver([500, 503, 200]);
    try {
      const { webhook } = await createWebhook(db, bo, { url: receiver.url });
      let now = new Date("2026-03-01T00:00:00Z");
      const deps = { send: sendWebhook, now: () => now };
      const [queued] = await enqueueDeliveries(db, [webhook], "key.alert", { threshold: 50 }, now);
      const row = async () =>
        (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued.id)))[0];

      expect(await runDueDeliveries(db, deps)).toBe(1);
      expect(await row()).toMatchObject({
        status: "pending",
        attempts: 1,
        responseStatus: 500,
        lastError: "answered 500",
      });
      expect((await row()).nextAttemptAt.getTime()).toBe(now.getTime() + RETRY_DELAYS_MS[0]);

      now = new Date(now.getTime() + RETRY_DELAYS_MS[0] - 1000);
      expect(await runDueDeliveries(db, deps)).toBe(0); // not due yet
      now = new Date(now.getTime() + 1000);
      expect(await runDueDeliveries(db, deps)).toBe(1);
      expect(await row()).toMatchObject({ status: "pending", attempts: 2, responseStatus: 503 });
      expect((await row()).nextAttemptAt.getTime()).toBe(now.getTime() + RETRY_DELAYS_MS[1]);

      // A restart: nothing in memory, the next worker finds the row due in the database.
      now = new Date(now.getTime() + RETRY_DELAYS_MS[1]);
      expect(await runDueDeliveries(db, { send: sendWebhook, now: () => now })).toBe(1);
      expect(await row()).toMatchObject({ status: "delivered", attempts: 3, responseStatus: 200 });
      expect(receiver.received).toHaveLength(3);
      // Every attempt carries the same delivery id, so a receiver can de-duplicate.
      expect(new Set(receiver.received.map((r) => r.headers["modelbridge-delivery"]))).toEqual(
        new Set([queued.id]),
      );
    } finally {
      await receiver.close();
    }
  });

  it("gives up after the last attempt and records it as failed", async () => {
    const db = database.db;
    const cy = await makeActor(db, "Cy");
    const receiver = await startReceiver([500]);
    try {
      const { webhook } = await createWebhook(db, cy, { url: receiver.url });
      let now = new Date("2026-03-02T00:00:00Z");
      const [queued] = await enqueueDeliveries(db, [webhook], "key.alert", {}, now);
      for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
        await runDueDeliveries(db, { send: sendWebhook, now: () => now });
        now = new Date(now.getTime() + 7 * 3_600_000);
      }
      const [row] = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, queued.id));
      expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, responseStatus: 500 });
      expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    } finally {
      await receiver.close();
    }
  });

  it("two workers polling at once never send the same delivery twice", async () => {
    const db = database.db;
    const di = await makeActor(db, "Di");
    const receiver = await startReceiver([200]);
    try {
      const { webhook } = await createWebhook(db, di, { url: receiver.url });
      const now = new Date();
      await enqueueDeliveries(
        db,
        Array.from({ length: 6 }, () => webhook),
        "key.alert",
        {},
        now,
      );
      const deps = { send: sendWebhook, now: () => now };
      const [a, b] = await Promise.all([runDueDeliveries(db, deps), runDueDeliveries(db, deps)]);
      expect(a + b).toBe(6);
      expect(new Set(receiver.received.map((r) => r.headers["modelbridge-delivery"])).size).toBe(6);
      expect(receiver.received).toHaveLength(6);
    } finally {
      await receiver.close();
    }
  });

  it("a test sent from the page is not sent a second time by a worker polling meanwhile", async () => {
    const db = database.db;
    const eve = await makeActor(db, "Eve");
    const receiver = await startReceiver([200]);
    try {
      const { webhook } = await createWebhook(db, eve, { url: receiver.url });
      const now = new Date();
      // The worker polls while the test's own POST is on the wire.
      let polled = -1;
      const send: typeof sendWebhook = async (...args) => {
        polled = await runDueDeliveries(db, { send: sendWebhook, now: () => now });
        return sendWebhook(...args);
      };
      const delivery = await sendTestDelivery(db, eve, webhook.id, { send, now: () => now });
      expect(delivery.status).toBe("delivered");
      expect(polled).toBe(0);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("team webhooks are managed by team admins only; others see nothing", async () => {
    const db = database.db;
    const admin = await makeActor(db, "Admin");
    const member = await makeActor(db, "Member");
    const stranger = await makeActor(db, "Stranger");
    const team = await createTeam(db, admin, "Hooks");
    await addMember(db, admin, team.id, { email: member.user.email, role: "member" });
    const { webhook } = await createWebhook(db, admin, {
      url: "http://10.0.0.5/hook",
      teamId: team.id,
    });
    expect((await listWebhooks(db, admin, team.id)).map((w) => w.id)).toEqual([webhook.id]);
    await expect(listWebhooks(db, member, team.id)).rejects.toThrow(/Only a team admin/);
    await expect(
      createWebhook(db, member, { url: "http://10.0.0.6/", teamId: team.id }),
    ).rejects.toThrow(/Only a team admin/);
    await expect(listWebhooks(db, stranger, team.id)).rejects.toThrow(/No such team/);
    await expect(deleteWebhook(db, member, webhook.id)).rejects.toThrow(/No such webhook/);
    expect(await listWebhooks(db, member, null)).toEqual([]);
    await deleteWebhook(db, admin, webhook.id);
    expect(await listWebhooks(db, admin, team.id)).toEqual([]);
  });
});
