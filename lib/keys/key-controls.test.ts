import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiKeys, auditLog } from "@/db/schema";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { createKey, type CreateKeyInput } from "./create-key";
import { hashKey } from "./format";
import { toKeyObject } from "./key-view";
import { pauseKey, resumeKey } from "./pause-key";
import { rollKey } from "./roll-key";
import { updateKey } from "./update-key";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const personal = (name: string, extra: Partial<CreateKeyInput> = {}): CreateKeyInput => ({
  name,
  type: "model_serving",
  teamId: null,
  spendingLimit: null,
  expiresAt: null,
  ...extra,
});

const auditActions = async (keyId: string) =>
  (await database.db.select().from(auditLog).where(eq(auditLog.targetId, keyId)))
    .map((row) => row.action)
    .sort();

describe("key controls", () => {
  it("creates a key with every control and shows them on the key object", async () => {
    const alice = await makeActor(database.db, "Alice");
    const now = new Date("2026-03-11T15:00:00Z");
    const { key } = await createKey(
      database.db,
      alice,
      personal("Controlled", {
        spendingLimit: 10_000_000n,
        allowedModels: ["gpt-4o-mini", "echo"],
        rateLimits: { requestsPerMinute: 60, tokensPerMinute: 10_000, maxConcurrent: 2 },
        budgetPeriod: "daily",
        ipAllowlist: ["10.0.0.0/8"],
      }),
      now,
    );
    const view = toKeyObject(key, 1n, now);
    expect(view).toMatchObject({
      allowed_models: ["gpt-4o-mini", "echo"],
      rate_limits: { requests_per_minute: 60, tokens_per_minute: 10_000, max_concurrent: 2 },
      budget_period: "daily",
      period_spend: "0.00",
      period_resets_at: "2026-03-12T00:00:00.000Z",
      ip_allowlist: ["10.0.0.0/8"],
      alert_thresholds: [50, 80, 100],
      paused: false,
    });
  });

  it("updates controls one at a time, records what changed, and null removes them", async () => {
    const alice = await makeActor(database.db, "Alice");
    const { key } = await createKey(
      database.db,
      alice,
      personal("Edited", { rateLimits: { requestsPerMinute: 10, maxConcurrent: 3 } }),
    );
    const updated = await updateKey(database.db, alice, key.id, {
      rateLimits: { tokensPerMinute: 500 },
      alertThresholds: [90, 25],
    });
    expect(toKeyObject(updated, 1n).rate_limits).toEqual({
      requests_per_minute: 10,
      tokens_per_minute: 500,
      max_concurrent: 3,
    });
    expect(updated.alertThresholds).toEqual([90, 25]);
    const cleared = await updateKey(database.db, alice, key.id, {
      rateLimits: null,
      allowedModels: null,
    });
    expect(toKeyObject(cleared, 1n).rate_limits).toEqual({
      requests_per_minute: null,
      tokens_per_minute: null,
      max_concurrent: null,
    });
    const [audit] = (
      await database.db.select().from(auditLog).where(eq(auditLog.targetId, key.id))
    ).filter((r) => r.action === "key.update");
    expect(JSON.stringify(audit.details)).toContain("rate_limits");
  });

  it("pauses and resumes, reading paused in between, each change audited", async () => {
    const alice = await makeActor(database.db, "Alice");
    const { key } = await createKey(database.db, alice, personal("Pausable"));
    const paused = await pauseKey(database.db, alice, key.id);
    expect(toKeyObject(paused, 1n)).toMatchObject({ status: "paused", paused: true });
    const again = await pauseKey(database.db, alice, key.id);
    expect(again.pausedAt?.getTime()).toBe(paused.pausedAt?.getTime());
    const resumed = await resumeKey(database.db, alice, key.id);
    expect(toKeyObject(resumed, 1n)).toMatchObject({ status: "active", paused: false });
    expect(await auditActions(key.id)).toEqual(["key.create", "key.pause", "key.resume"]);
  });

  it("rolls to a new secret on the same key, remembering the old hash until the grace ends", async () => {
    const alice = await makeActor(database.db, "Alice");
    const { key, rawKey } = await createKey(database.db, alice, personal("Rolled"));
    const now = new Date();
    const rolled = await rollKey(database.db, alice, key.id, 3600, now);
    expect(rolled.key.id).toBe(key.id);
    expect(rolled.rawKey).not.toBe(rawKey);
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.keyHash).toBe(hashKey(rolled.rawKey));
    expect(row.previousKeyHash).toBe(hashKey(rawKey));
    expect(row.previousKeyExpiresAt?.getTime()).toBe(now.getTime() + 3_600_000);
    expect(toKeyObject(rolled.key, 1n, now).previous_key_expires_at).toBe(
      new Date(now.getTime() + 3_600_000).toISOString(),
    );
    const audit = (
      await database.db.select().from(auditLog).where(eq(auditLog.targetId, key.id))
    ).find((r) => r.action === "key.roll");
    expect(JSON.stringify(audit?.details)).not.toContain(rolled.rawKey);
  });

  it("refuses another user's key", async () => {
    const alice = await makeActor(database.db, "Alice");
    const mallory = await makeActor(database.db, "Mallory");
    const { key } = await createKey(database.db, alice, personal("Private"));
    await expect(pauseKey(database.db, mallory, key.id)).rejects.toThrow();
    await expect(rollKey(database.db, mallory, key.id, 0)).rejects.toThrow();
  });
});
