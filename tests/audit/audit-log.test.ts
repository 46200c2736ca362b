import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setProcessDatabase, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { eq } from "drizzle-orm";
import { changePassword } from "@/lib/auth/change-password";
import { hashPassword } from "@/lib/auth/password";
import { createKey } from "@/lib/keys/create-key";
import { pauseKey, resumeKey } from "@/lib/keys/pause-key";
import { rollKey } from "@/lib/keys/roll-key";
import { updateKey } from "@/lib/keys/update-key";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { createWebhook, deleteWebhook } from "@/lib/webhooks/webhooks";
import type { Actor } from "@/lib/core/actor";
import { makeActor, letEveryoneMakeTeams } from "@/tests/helpers/actors";
import { callRoute } from "@/tests/helpers/call-route";
import { openTestDatabase } from "@/tests/helpers/database";

vi.mock("@/lib/auth", () => ({ auth: async () => null }));

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  setProcessDatabase(database);
});
afterAll(async () => {
  await database?.close();
});

async function managementKey(actor: Actor): Promise<string> {
  return (
    await createKey(database.db, actor, {
      name: "ci",
      type: "management",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    })
  ).rawKey;
}

type Entry = {
  action: string;
  target_id: string | null;
  team_id: string | null;
  actor: { user_id: string; name: string };
  details: Record<string, unknown> | null;
};
async function auditLog(
  key: string,
  query = "",
): Promise<{
  status: number;
  body: { data: Entry[]; next_cursor: string | null; error?: { code: string } };
}> {
  const { GET } = await import("@/app/api/v1/audit-log/route");
  return callRoute({ handler: GET, path: `/api/v1/audit-log${query}`, key });
}

describe("GET /api/v1/audit-log", () => {
  it("records every key control change and shows the caller their own keys and the teams they administer", async () => {
    const db = database.db;
    const ada = await makeActor(db, "Ada");
    const bo = await makeActor(db, "Bo");
    const team = await createTeam(db, ada, "Platform");
    await addMember(db, ada, team.id, { email: bo.user.email, role: "member" });
    const adaKey = await managementKey(ada);
    const boKey = await managementKey(bo);

    const { key } = await createKey(db, ada, {
      name: "svc",
      type: "model_serving",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    });
    await updateKey(db, ada, key.id, { allowedModels: ["echo"], budgetPeriod: "daily" });
    await pauseKey(db, ada, key.id);
    await resumeKey(db, ada, key.id);
    const rolled = await rollKey(db, ada, key.id, 3600);
    const teamKey = await createKey(db, ada, {
      name: "team-svc",
      type: "model_serving",
      teamId: team.id,
      spendingLimit: null,
      expiresAt: null,
    });
    const { webhook } = await createWebhook(db, ada, {
      url: "https://hooks.example.test/hook",
      teamId: team.id,
    });
    await deleteWebhook(db, ada, webhook.id);

    const mine = await auditLog(adaKey, `?target_id=${key.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((e) => e.action).reverse()).toEqual([
      "key.create",
      "key.update",
      "key.pause",
      "key.resume",
      "key.roll",
    ]);
    expect(mine.body.data[0].actor).toMatchObject({ user_id: ada.user.id, name: "Ada" });
    expect(JSON.stringify(mine.body)).not.toContain(rolled.rawKey);

    const teamEntries = await auditLog(adaKey, `?team_id=${team.id}&action=webhook.`);
    expect(teamEntries.body.data.map((e) => e.action).sort()).toEqual([
      "webhook.create",
      "webhook.delete",
    ]);

    // Bo is a member, not an admin: Ada's personal key and the team's history are not his to read.
    const bos = await auditLog(boKey);
    expect(
      bos.body.data.some((e) => e.target_id === key.id || e.target_id === teamKey.key.id),
    ).toBe(false);
    expect(
      bos.body.data.some(
        (e) =>
          e.team_id === team.id && e.action !== "team.member.add" && e.action !== "invite.create",
      ),
    ).toBe(false);
    expect((await auditLog(boKey, "?scope=all")).status).toBe(403);
  });

  it("pages newest first with a cursor, and platform admins see everything", async () => {
    const db = database.db;
    const cy = await makeActor(db, "Cy");
    const cyKey = await managementKey(cy);
    for (let i = 0; i < 5; i++)
      await createKey(db, cy, {
        name: `k${i}`,
        type: "model_serving",
        teamId: null,
        spendingLimit: null,
        expiresAt: null,
      });
    const first = await auditLog(cyKey, "?action=key.create&limit=2");
    expect(first.body.data.map((e) => e.details?.name)).toEqual(["k4", "k3"]);
    const second = await auditLog(
      cyKey,
      `?action=key.create&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.data.map((e) => e.details?.name)).toEqual(["k2", "k1"]);
    const third = await auditLog(
      cyKey,
      `?action=key.create&limit=2&cursor=${second.body.next_cursor}`,
    );
    expect(third.body.data.map((e) => e.details?.name)).toEqual(["k0", "ci"]);
    expect(third.body.next_cursor).toBeNull();

    const admin = await makeActor(db, "Root");
    await db.update(users).set({ role: "admin" }).where(eq(users.id, admin.user.id));
    const adminKey = await managementKey({ user: { ...admin.user, role: "admin" }, keyId: null });
    const all = await auditLog(adminKey, "?action=key.create&limit=200");
    expect(all.body.data.some((e) => e.actor.user_id === cy.user.id)).toBe(true);
    const invalid = await auditLog(adminKey, "?limit=0");
    expect(invalid.status).toBe(422);
  });

  it("records a password change", async () => {
    const db = database.db;
    const di = await makeActor(db, "Di");
    await db
      .update(users)
      .set({ passwordHash: await hashPassword("correct horse battery") })
      .where(eq(users.id, di.user.id));
    await changePassword(db, di.user.id, "correct horse battery", "another long passphrase");
    const entries = await auditLog(await managementKey(di), "?action=user.password");
    expect(entries.body.data.map((e) => [e.action, e.target_id])).toEqual([
      ["user.password", di.user.id],
    ]);
  });
});
