import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { keyAlerts, webhookDeliveries } from "@/db/schema";
import { evaluateKeyAlerts } from "@/lib/alerts/evaluate";
import { dismissAlertNotices, listAlertNotices } from "@/lib/alerts/notices";
import { createSpendAlertHook } from "@/lib/alerts/spend-hook";
import { subscribeKeyAlerts } from "@/lib/alerts/subscribe";
import { emitKeySpendSettled } from "@/lib/billing/spend-events";
import { reachedThresholds, type KeySpendSnapshot } from "@/lib/alerts/thresholds";
import { createKey } from "@/lib/keys/create-key";
import { sendWebhook } from "@/lib/webhooks/send";
import { verifySignature } from "@/lib/webhooks/signature";
import { createWebhook } from "@/lib/webhooks/webhooks";
import { runDueDeliveries } from "@/lib/webhooks/worker";
import type { Actor } from "@/lib/core/actor";
import { makeActor, allowPrivateWebhooks } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { startReceiver } from "../webhooks/receiver";

let database: Database & { url?: string };
beforeAll(async () => {
  database = await openTestDatabase();
  await allowPrivateWebhooks(database.db);
});
afterAll(async () => {
  await database?.close();
});

const dollars = (n: number) => BigInt(Math.round(n * 1_000_000));

async function limitedKey(
  actor: Actor,
  limit: number,
  budgetPeriod: KeySpendSnapshot["budgetPeriod"] = "daily",
  alertThresholds?: number[],
) {
  const { key, rawKey } = await createKey(database.db, actor, {
    name: "billing-service",
    type: "model_serving",
    teamId: null,
    spendingLimit: dollars(limit),
    expiresAt: null,
    budgetPeriod,
    alertThresholds,
  });
  // The period is taken from the clock each call passes, as if the gateway had not said.
  const snapshot = (spend: number): KeySpendSnapshot => ({
    ...key,
    periodSpend: dollars(spend),
    periodStart: undefined,
  });
  return { key, rawKey, snapshot };
}

describe("reachedThresholds", () => {
  it("compares spend to the limit exactly, in micro-units", () => {
    expect(reachedThresholds([50, 80, 100], dollars(4.999999), dollars(10))).toEqual([]);
    expect(reachedThresholds([50, 80, 100], dollars(5), dollars(10))).toEqual([50]);
    expect(reachedThresholds([100, 50, 80], dollars(12), dollars(10))).toEqual([50, 80, 100]);
    expect(reachedThresholds([50], dollars(100), null)).toEqual([]);
  });
});

describe("key alerts", () => {
  it("fire each threshold once per period, with a signed payload that names the key but never carries it", async () => {
    const db = database.db;
    const ada = await makeActor(db, "Ada");
    const receiver = await startReceiver([200]);
    try {
      const { secret } = await createWebhook(db, ada, { url: receiver.url });
      const { key, rawKey, snapshot } = await limitedKey(ada, 10);
      const day1 = new Date("2026-04-10T12:00:00Z");

      expect((await evaluateKeyAlerts(db, snapshot(4), day1)).map((a) => a.threshold)).toEqual([]);
      expect((await evaluateKeyAlerts(db, snapshot(5.5), day1)).map((a) => a.threshold)).toEqual([
        50,
      ]);
      expect((await evaluateKeyAlerts(db, snapshot(6), day1)).map((a) => a.threshold)).toEqual([]);
      // Crossing 80 and 100% in one step is one alert, for the highest, with that spend.
      expect((await evaluateKeyAlerts(db, snapshot(10.2), day1)).map((a) => a.threshold)).toEqual([
        100,
      ]);
      // The next UTC day is a new period: 50% fires again.
      const day2 = new Date("2026-04-11T00:00:01Z");
      expect((await evaluateKeyAlerts(db, snapshot(5), day2)).map((a) => a.threshold)).toEqual([
        50,
      ]);

      expect(await runDueDeliveries(db, { send: sendWebhook, now: () => new Date() })).toBe(3);
      const bodies = receiver.received.map((r) => {
        expect(
          verifySignature(
            String(r.headers["modelbridge-signature"]),
            r.body,
            secret,
            Math.floor(Date.now() / 1000),
          ),
        ).toBe(true);
        expect(r.body).not.toContain(rawKey);
        return JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
      });
      const first = bodies.find(
        (b) => b.data.threshold === 50 && b.data.period_start === "2026-04-10T00:00:00.000Z",
      )!;
      expect(first).toMatchObject({
        type: "key.spend_threshold",
        data: {
          key: {
            id: key.id,
            name: "billing-service",
            display: expect.stringMatching(/^mb_live_….{4}$/),
          },
          threshold: 50,
          spend: "5.50",
          spending_limit: "10.00",
          budget_period: "daily",
          period_resets_at: "2026-04-11T00:00:00.000Z",
        },
      });
      expect(bodies.map((b) => b.data.threshold).sort()).toEqual([100, 50, 50]);
      expect(bodies.find((b) => b.data.threshold === 100)?.data.spend).toBe("10.20");
    } finally {
      await receiver.close();
    }
  });

  it("a lifetime limit (no budget period) fires each threshold once ever; custom thresholds are honoured", async () => {
    const db = database.db;
    const bo = await makeActor(db, "Bo");
    const { snapshot } = await limitedKey(bo, 20, "none", [25, 90]);
    expect(
      (await evaluateKeyAlerts(db, snapshot(6), new Date("2026-01-01T00:00:00Z"))).map(
        (a) => a.threshold,
      ),
    ).toEqual([25]);
    expect(
      (await evaluateKeyAlerts(db, snapshot(19), new Date("2026-06-01T00:00:00Z"))).map(
        (a) => a.threshold,
      ),
    ).toEqual([90]);
    expect(await evaluateKeyAlerts(db, snapshot(20), new Date("2027-01-01T00:00:00Z"))).toEqual([]);
  });

  it("two processes (two database handles) seeing the same crossing fire it once", async () => {
    const db = database.db;
    // On Postgres a second pool is a second process's view; PGlite (one process) shares its handle.
    const other = database.url
      ? await openDatabase({ url: database.url, maxConnections: 2 })
      : null;
    try {
      const cy = await makeActor(db, "Cy");
      const { key, snapshot } = await limitedKey(cy, 10);
      const now = new Date("2026-04-10T12:00:00Z");
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          evaluateKeyAlerts(i % 2 === 0 ? db : (other?.db ?? db), snapshot(10), now),
        ),
      );
      expect(
        results
          .flat()
          .map((a) => a.threshold)
          .sort(),
      ).toEqual([100]);
      const rows = await db.select().from(keyAlerts).where(eq(keyAlerts.keyId, key.id));
      // Every crossed threshold is recorded (none fires later); only the highest is a notice.
      expect(rows).toHaveLength(3);
      expect(rows.filter((r) => r.dismissedAt === null).map((r) => r.threshold)).toEqual([100]);
    } finally {
      await other?.close();
    }
  });

  it("the spend hook goes to the database only for a crossing it has not seen, and survives a restart without firing again", async () => {
    const db = database.db;
    const di = await makeActor(db, "Di");
    const receiver = await startReceiver([200]);
    try {
      const { webhook } = await createWebhook(db, di, { url: receiver.url });
      const { snapshot } = await limitedKey(di, 10);
      const now = () => new Date("2026-04-10T12:00:00Z");
      let fired = 0;
      const hook = createSpendAlertHook(db, { now, onFired: (n) => (fired += n) });
      await hook(snapshot(1));
      await hook(snapshot(8));
      await hook(snapshot(8.5));
      // 50 and 80% crossed in one step: one alert (80%).
      expect(fired).toBe(1);
      const restarted = createSpendAlertHook(db, { now, onFired: (n) => (fired += n) });
      await restarted(snapshot(9));
      expect(fired).toBe(1);
      const queued = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, webhook.id));
      expect(queued).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("shows notices to who may see the key, and lets them be dismissed", async () => {
    const db = database.db;
    const ed = await makeActor(db, "Ed");
    const stranger = await makeActor(db, "Stranger");
    const { key, snapshot } = await limitedKey(ed, 10);
    await evaluateKeyAlerts(db, snapshot(9), new Date());
    const notices = await listAlertNotices(db, ed, null);
    expect(
      notices
        .map((n) => [n.keyId, n.keyName, n.threshold])
        .sort((a, b) => Number(a[2]) - Number(b[2])),
    ).toEqual([[key.id, "billing-service", 80]]);
    expect(await listAlertNotices(db, stranger, null)).toEqual([]);
    expect(
      await dismissAlertNotices(
        db,
        stranger,
        notices.map((n) => n.id),
      ),
    ).toBe(0);
    expect(
      await dismissAlertNotices(
        db,
        ed,
        notices.map((n) => n.id),
      ),
    ).toBe(1);
    expect(await listAlertNotices(db, ed, null)).toEqual([]);
  });

  it("the gateway's settled-spend event fires the alert, in the period the gateway counted", async () => {
    const db = database.db;
    const fa = await makeActor(db, "Fa");
    const { webhook } = await createWebhook(db, fa, { url: "http://127.0.0.1:9/unused" });
    const { key } = await limitedKey(fa, 10);
    const unsubscribe = subscribeKeyAlerts(db);
    try {
      const periodStart = new Date("2026-04-10T00:00:00Z");
      emitKeySpendSettled({
        keyId: key.id,
        periodSpend: dollars(8.2),
        spendingLimit: dollars(10),
        periodStart,
        spend: dollars(30),
      });
      await expect
        .poll(
          async () =>
            (await db.select().from(keyAlerts).where(eq(keyAlerts.keyId, key.id)))
              .map((a) => a.threshold)
              .sort(),
          { timeout: 5000 },
        )
        .toEqual([50, 80]);
      const rows = await db.select().from(keyAlerts).where(eq(keyAlerts.keyId, key.id));
      expect(rows.every((r) => r.periodStart.getTime() === periodStart.getTime())).toBe(true);
      const queued = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, webhook.id));
      expect(queued.map((d) => (d.payload as { threshold: number }).threshold)).toEqual([80]);
      expect(queued[0].payload).toMatchObject({
        period_start: "2026-04-10T00:00:00.000Z",
        period_resets_at: "2026-04-11T00:00:00.000Z",
        spend: "8.20",
      });
    } finally {
      unsubscribe();
    }
  });
});
