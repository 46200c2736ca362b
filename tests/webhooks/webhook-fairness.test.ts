import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { DELIVERIES_IN_FLIGHT_PER_OWNER, enqueueDeliveries } from "@/lib/webhooks/deliveries";
import { createWebhook } from "@/lib/webhooks/webhooks";
import { startWebhookWorker, type WebhookWorker } from "@/lib/webhooks/worker";
import { allowPrivateWebhooks, makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { startReceiver } from "./receiver";

/**
 * Issue 27 item 5 under load: one owner's flood of pending deliveries to a receiver that
 * never answers does not hold back another owner's alert. Real workers (two, as two
 * processes would run), the real sender, real HTTP receivers on loopback.
 */
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await allowPrivateWebhooks(database.db);
});
afterAll(async () => {
  await database?.close();
});

/** A receiver that reads each POST and never answers, until closed. */
async function startHangingReceiver() {
  const open = new Set<http.ServerResponse>();
  let seen = 0;
  const server = http.createServer((req, res) => {
    seen++;
    open.add(res);
    req.resume();
    res.on("close", () => open.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    /** Requests waiting for an answer now. */
    hanging: () => open.size,
    seen: () => seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3_000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

describe("webhook deliveries are queued fairly per owner", () => {
  it("an owner with 300 deliveries to a hanging receiver delays only itself: another owner's alert goes out at once", async () => {
    const db = database.db;
    const flooder = await makeActor(db, "Flooder");
    const bystander = await makeActor(db, "Bystander");
    const hanging = await startHangingReceiver();
    const receiver = await startReceiver([200]);
    const workers: WebhookWorker[] = [];
    try {
      const { webhook: dead } = await createWebhook(db, flooder, { url: hanging.url });
      const { webhook: good } = await createWebhook(db, bystander, { url: receiver.url });
      const now = new Date();
      // The flood is older than the alert, so a queue in arrival order would send it first.
      for (let i = 0; i < 300; i++)
        await enqueueDeliveries(db, [dead], "key.alert", { n: i }, new Date(now.getTime() - 1000));

      // Two workers, as two processes: between them no more than the owner's share hangs.
      workers.push(
        startWebhookWorker(db, { intervalMs: 50 }),
        startWebhookWorker(db, { intervalMs: 50 }),
      );
      await until(
        () => hanging.hanging() === DELIVERIES_IN_FLIGHT_PER_OWNER,
        "the flood to reach its receiver",
      );

      const queuedAt = performance.now();
      const [alert] = await enqueueDeliveries(
        db,
        [good],
        "key.alert",
        { threshold: 80 },
        new Date(),
      );
      workers[0].nudge();
      await until(() => receiver.received.length === 1, "the other owner's alert to arrive");
      console.log(
        `the other owner's alert arrived ${(performance.now() - queuedAt).toFixed(0)} ms after it was queued, behind 300 pending to a hanging receiver`,
      );
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({
        id: alert.id,
        type: "key.alert",
      });
      await until(async () => {
        const [r] = await db
          .select()
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.id, alert.id));
        return r.status === "delivered";
      }, "the alert to be recorded as delivered");

      // Meanwhile none of the flood has finished: it still waits behind its own hanging receiver,
      // and never held more than its share of the workers' 20 slots.
      expect(hanging.seen()).toBe(DELIVERIES_IN_FLIGHT_PER_OWNER);
      const [{ n }] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, dead.id))
        .groupBy(webhookDeliveries.attempts)
        .having(sql`${webhookDeliveries.attempts} = 0`);
      expect(n).toBe(300);
    } finally {
      // Stopped first (no new claims), then the hanging sends are let go.
      const stopping = workers.map((w) => w.stop());
      await hanging.close();
      await Promise.all(stopping);
      await receiver.close();
    }
  });
});
