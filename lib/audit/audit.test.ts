import { asc, eq } from "drizzle-orm";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog } from "@/db/schema";
import { createKey } from "@/lib/keys/create-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { updateKey } from "@/lib/keys/update-key";
import { addMember, changeMemberRole, removeMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe("audit log", () => {
  it("records key create, update and revoke with the acting user and the Management key used", async () => {
    const db = database.db;
    const ada = await makeActor(db, "Ada");
    const mgmt = await createKey(db, ada, {
      name: "automation",
      type: "management",
      teamId: null,
      spendingLimit: null,
      expiresAt: null,
    });
    const viaKey = { user: ada.user, keyId: mgmt.key.id };
    const { key, rawKey } = await createKey(db, viaKey, {
      name: "svc",
      type: "model_serving",
      teamId: null,
      spendingLimit: 2_000_000n,
      expiresAt: null,
    });
    await updateKey(db, ada, key.id, { spendingLimit: 4_500_000n });
    await revokeKey(db, viaKey, key.id);

    const rows = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, key.id))
      .orderBy(asc(auditLog.createdAt));
    expect(rows.map((r) => [r.action, r.actorUserId, r.actorKeyId])).toEqual([
      ["key.create", ada.user.id, mgmt.key.id],
      ["key.update", ada.user.id, null],
      ["key.revoke", ada.user.id, mgmt.key.id],
    ]);
    expect(rows[0].details).toMatchObject({ name: "svc", spending_limit: "2.00" });
    expect(rows[1].details).toEqual({ changes: { spending_limit: { from: "2.00", to: "4.50" } } });
    expect(JSON.stringify(rows)).not.toContain(rawKey);
  });

  it("records membership changes against the team", async () => {
    const db = database.db;
    const ada = await makeActor(db, "Ada");
    const bo = await makeActor(db, "Bo");
    const team = await createTeam(db, ada, "Audit");
    await addMember(db, ada, team.id, { email: bo.user.email, role: "member" });
    await changeMemberRole(db, ada, team.id, bo.user.id, "admin");
    await removeMember(db, ada, team.id, bo.user.id);
    const rows = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.teamId, team.id))
      .orderBy(asc(auditLog.createdAt));
    // Adding by email always issues an invite link too (spent at once for an existing account), so both answers look alike.
    expect(
      rows.map((r) => [
        r.action,
        r.action === "invite.create" ? "invite" : r.targetId,
        r.actorUserId,
      ]),
    ).toEqual([
      ["team.create", team.id, ada.user.id],
      ["team.member.add", bo.user.id, ada.user.id],
      ["invite.create", "invite", ada.user.id],
      ["team.member.role", bo.user.id, ada.user.id],
      ["team.member.remove", bo.user.id, ada.user.id],
    ]);
    expect(rows[3].details).toEqual({ from: "member", to: "admin" });
    expect(rows[4].details).toEqual({ role: "admin", revoked_keys: 0 });
  });
});
