import OpenAI from "openai";
import { letEveryoneMakeTeams } from "../helpers/actors";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, auditLog } from "@/db/schema";
import { createKey as createKeyThroughService } from "@/lib/keys/create-key";
import { addMember, removeMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { client, createUser, harnessForFile } from "../helpers/harness";

/** Removing a member from a team revokes the team keys they created; the gateway refuses them on the next request. */
const t = harnessForFile(async (h) => {
  await letEveryoneMakeTeams(h.database.db);
});

const keyInput = (name: string, teamId: string | null) => ({
  name,
  type: "model_serving" as const,
  teamId,
  spendingLimit: null,
  expiresAt: null,
});
const actor = (user: Awaited<ReturnType<typeof createUser>>) => ({ user, keyId: null });
const hello = (key: string) =>
  client(t.h.baseURL, key)
    .chat.completions.create({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi" }],
    })
    .then(
      () => ({ status: 200, code: null as string | null }),
      (error: InstanceType<typeof OpenAI.APIError>) => ({
        status: error.status,
        code: error.code ?? null,
      }),
    );

describe("removing a team member", () => {
  it("revokes the team keys they created, refused by /v1 on the very next request, and audits how many", async () => {
    const admin = await createUser(t.h.database);
    const bob = await createUser(t.h.database);
    const team = await createTeam(t.h.database.db, actor(admin), "Research");
    await addMember(t.h.database.db, actor(admin), team.id, { email: bob.email, role: "member" });
    const bobsTeamKey = await createKeyThroughService(
      t.h.database.db,
      actor(bob),
      keyInput("bob team", team.id),
    );
    const bobsPersonalKey = await createKeyThroughService(
      t.h.database.db,
      actor(bob),
      keyInput("bob own", null),
    );
    const adminsTeamKey = await createKeyThroughService(
      t.h.database.db,
      actor(admin),
      keyInput("admin team", team.id),
    );
    // Used once, so each key sits in the gateway's cache: the revocation must evict it.
    for (const created of [bobsTeamKey, bobsPersonalKey, adminsTeamKey])
      expect((await hello(created.rawKey)).status).toBe(200);

    const { revokedKeys } = await removeMember(t.h.database.db, actor(admin), team.id, bob.id);
    expect(revokedKeys).toBe(1);

    expect(await hello(bobsTeamKey.rawKey)).toEqual({ status: 401, code: "key_revoked" });
    // Only the team keys that member created: their personal key and other members' team keys still work.
    expect((await hello(bobsPersonalKey.rawKey)).status).toBe(200);
    expect((await hello(adminsTeamKey.rawKey)).status).toBe(200);

    const [row] = await t.h.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, bobsTeamKey.key.id));
    expect(row.revokedBy).toBe(admin.id);
    const [audit] = await t.h.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "team.member.remove"), eq(auditLog.targetId, bob.id)));
    expect(audit.details).toMatchObject({ revoked_keys: 1 });
  });

  it("a member who leaves loses their team keys too", async () => {
    const admin = await createUser(t.h.database);
    const carol = await createUser(t.h.database);
    const team = await createTeam(t.h.database.db, actor(admin), "Ops");
    await addMember(t.h.database.db, actor(admin), team.id, { email: carol.email, role: "member" });
    const key = await createKeyThroughService(
      t.h.database.db,
      actor(carol),
      keyInput("carol team", team.id),
    );
    expect((await removeMember(t.h.database.db, actor(carol), team.id, carol.id)).revokedKeys).toBe(
      1,
    );
    expect(await hello(key.rawKey)).toEqual({ status: 401, code: "key_revoked" });
  });
});
