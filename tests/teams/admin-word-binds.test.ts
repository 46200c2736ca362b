import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createKey } from "@/lib/keys/create-key";
import { pauseKey, resumeKey } from "@/lib/keys/pause-key";
import { updateKey } from "@/lib/keys/update-key";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { makeActor, makeAdmin } from "../helpers/actors";
import { openTestDatabase } from "../helpers/database";
import type { Actor } from "@/lib/core/actor";

/**
 * Issue 27 item 8: a limit, allowed models, rate limits, IP ranges, expiry, budget period
 * or pause a team admin sets on a member's team key cannot be undone by that member.
 */
let database: Database;
let admin: Actor;
let member: Actor;
let teamId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  admin = await makeAdmin(database.db, "Lead");
  member = await makeActor(database.db, "Member");
  teamId = (await createTeam(database.db, admin, "Binding")).id;
  await addMember(database.db, admin, teamId, { email: member.user.email, role: "member" });
});

afterAll(async () => {
  await database?.close();
});

const membersKey = async () =>
  (
    await createKey(database.db, member, {
      name: "member key",
      type: "model_serving",
      teamId,
      spendingLimit: null,
      expiresAt: null,
    })
  ).key.id;

const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string; message?: string }) => error,
  );

describe("a team admin's controls on a member's team key", () => {
  it("the member cannot loosen or remove the limit, models, rate limits, IP ranges, expiry or period", async () => {
    const id = await membersKey();
    const tomorrow = new Date(Date.now() + 86_400_000);
    await updateKey(database.db, admin, id, {
      spendingLimit: 1_000_000n,
      allowedModels: ["cheap/model"],
      rateLimits: { requestsPerMinute: 10 },
      ipAllowlist: ["10.0.0.0/8"],
      expiresAt: tomorrow,
      budgetPeriod: "daily",
    });
    const undo: [string, Parameters<typeof updateKey>[3]][] = [
      ["spending limit", { spendingLimit: null }],
      ["spending limit", { spendingLimit: 999_000_000n }],
      ["allowed models", { allowedModels: null }],
      ["rate limits", { rateLimits: { requestsPerMinute: null } }],
      ["IP allowlist", { ipAllowlist: null }],
      ["expiry", { expiresAt: null }],
      ["budget period", { budgetPeriod: "none" }],
    ];
    for (const [label, input] of undo) {
      const error = await refused(updateKey(database.db, member, id, input));
      expect(error?.code, label).toBe("forbidden");
      expect(error?.message).toContain(label);
    }
    // What the admin did not set stays the member's: a rename, alert thresholds.
    const renamed = await updateKey(database.db, member, id, {
      name: "renamed",
      alertThresholds: [90],
    });
    expect(renamed.name).toBe("renamed");
    expect(renamed.spendingLimit).toBe(1_000_000n);
    // The admin may still change them.
    const raised = await updateKey(database.db, admin, id, { spendingLimit: 2_000_000n });
    expect(raised.spendingLimit).toBe(2_000_000n);
  });

  it("a pause by the admin cannot be resumed by the member; her own pause she can", async () => {
    const id = await membersKey();
    await pauseKey(database.db, admin, id);
    const error = await refused(resumeKey(database.db, member, id));
    expect(error?.code).toBe("forbidden");
    expect((await resumeKey(database.db, admin, id)).pausedAt).toBeNull();
    await pauseKey(database.db, member, id);
    expect((await resumeKey(database.db, member, id)).pausedAt).toBeNull();
  });

  it("controls the member set herself stay hers to change", async () => {
    const id = await membersKey();
    await updateKey(database.db, member, id, { spendingLimit: 5_000_000n });
    const changed = await updateKey(database.db, member, id, { spendingLimit: null });
    expect(changed.spendingLimit).toBeNull();
  });
});
