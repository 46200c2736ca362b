import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { sendTestDelivery, TEST_SENDS_PER_MINUTE } from "@/lib/webhooks/test-delivery";
import { createWebhook, MAX_WEBHOOKS_PER_OWNER } from "@/lib/webhooks/webhooks";
import { makeActor } from "../helpers/actors";
import { openTestDatabase } from "../helpers/database";

/**
 * Issue 27 item 5 (caps): an owner has at most 20 webhooks, and test sends are rate limited
 * per owner (before: no cap, and 40 test sends to a receiver that never answers delayed
 * another user's alert from 0.5 s to 32 s). The sends here go to a fake sender: the cap is
 * what is tested, not the network.
 */
let database: Database;
let owner: Actor;
let other: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  owner = await makeActor(database.db, "Busy");
  other = await makeActor(database.db, "Other");
});

afterAll(async () => {
  await database?.close();
});

const deps = {
  send: async () => ({ status: 204, error: null, durationMs: 1 }),
  now: () => new Date(),
};

describe("webhook caps per owner", () => {
  it("at most 20 webhooks per owner; another owner is unaffected", async () => {
    for (let i = 0; i < MAX_WEBHOOKS_PER_OWNER; i++)
      await createWebhook(database.db, owner, { url: `https://hooks.example.test/${i}` });
    const refused = await createWebhook(database.db, owner, {
      url: "https://hooks.example.test/one-more",
    }).then(
      () => null,
      (error: { code?: string; message?: string }) => error,
    );
    expect(refused?.code).toBe("conflict");
    expect(refused?.message).toContain("at most 20 webhooks");
    await createWebhook(database.db, other, { url: "https://hooks.example.test/other" });
  });

  it("test sends: 5 a minute per owner, then 429 rate_limit_exceeded; another owner still tests", async () => {
    const { webhook } = await createWebhook(database.db, other, {
      url: "https://hooks.example.test/tested",
    });
    for (let i = 0; i < TEST_SENDS_PER_MINUTE; i++)
      expect((await sendTestDelivery(database.db, other, webhook.id, deps)).status).toBe(
        "delivered",
      );
    const refused = await sendTestDelivery(database.db, other, webhook.id, deps).then(
      () => null,
      (error: { code?: string; status?: number }) => error,
    );
    expect(refused?.code).toBe("rate_limit_exceeded");
    expect(refused?.status).toBe(429);
    const third = await makeActor(database.db, "Third");
    const { webhook: theirs } = await createWebhook(database.db, third, {
      url: "https://hooks.example.test/third",
    });
    expect((await sendTestDelivery(database.db, third, theirs.id, deps)).status).toBe("delivered");
  });
});
