import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { addMember, changeMemberRole, removeMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { findUsableInvite, listPendingInvites } from "@/lib/invites/invites";
import { registerAccount } from "@/lib/users/registration";
import { createWebhook, webhooksOfOwner } from "@/lib/webhooks/webhooks";
import { makeActor, makeAdmin } from "../helpers/actors";
import { openTestDatabase } from "../helpers/database";

/**
 * Issue 27 item 2: a team admin who is removed (or demoted, or disabled) keeps no way back
 * in: her pending team invites stop working and the team webhooks she added stop receiving
 * the team's events. Before, her invite (role admin) still signed up her second account as
 * team admin, and her webhook kept getting the team's spend alerts.
 */
let database: Database;
let platform: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  platform = await makeAdmin(database.db, "Platform");
});

afterAll(async () => {
  await database?.close();
});

async function teamWithAdmin(name: string) {
  const admin = await makeActor(database.db, name);
  const team = await createTeam(database.db, platform, `${name}'s team`);
  await addMember(database.db, platform, team.id, { email: admin.user.email, role: "admin" });
  const invite = await addMember(database.db, admin, team.id, {
    email: `${name.toLowerCase()}-second-${Date.now()}@example.test`,
    role: "admin",
  });
  const { webhook } = await createWebhook(database.db, admin, {
    url: "https://hooks.example.test/alerts",
    teamId: team.id,
  });
  const { webhook: platformHook } = await createWebhook(database.db, platform, {
    url: "https://hooks.example.test/platform",
    teamId: team.id,
  });
  return { admin, team, invite, webhook, platformHook };
}

const signUpWith = (token: string, email: string) =>
  registerAccount(database.db, {
    name: "Second account",
    email,
    password: "a long enough password 1",
    inviteToken: token,
  }).then(
    () => "joined",
    (error: { reason?: string }) => error.reason ?? "error",
  );

const hookIds = async (teamId: string, userId: string) =>
  (await webhooksOfOwner(database.db, { userId, teamId })).map((w) => w.id);

describe("a removed or demoted team admin keeps no way back in", () => {
  it("removal revokes her pending team invites and disables the team webhooks she added", async () => {
    const { admin, team, invite, webhook, platformHook } = await teamWithAdmin("Eve");
    expect(await hookIds(team.id, platform.user.id)).toContain(webhook.id);
    const result = await removeMember(database.db, platform, team.id, admin.user.id);
    expect(result).toMatchObject({ revokedInvites: 1, disabledWebhooks: 1 });
    expect(await findUsableInvite(database.db, invite.token)).toBeNull();
    expect(await signUpWith(invite.token, invite.email)).toBe("invite_unusable");
    expect(await listPendingInvites(database.db, platform, team.id)).toHaveLength(0);
    const active = await hookIds(team.id, platform.user.id);
    expect(active).not.toContain(webhook.id);
    expect(active).toContain(platformHook.id);
  });

  it("demotion to member does the same", async () => {
    const { admin, team, invite, webhook } = await teamWithAdmin("Dora");
    const result = await changeMemberRole(database.db, platform, team.id, admin.user.id, "member");
    expect(result).toMatchObject({ revokedInvites: 1, disabledWebhooks: 1 });
    expect(await signUpWith(invite.token, invite.email)).toBe("invite_unusable");
    expect(await hookIds(team.id, platform.user.id)).not.toContain(webhook.id);
  });

  it("a disabled account's team invites and webhooks stop too (no explicit cascade needed)", async () => {
    const { admin, team, invite, webhook } = await teamWithAdmin("Dana");
    await database.db
      .update(users)
      .set({ disabledAt: new Date() })
      .where(eq(users.id, admin.user.id));
    expect(await findUsableInvite(database.db, invite.token)).toBeNull();
    expect(await hookIds(team.id, platform.user.id)).not.toContain(webhook.id);
  });

  it("a team admin still in place: her invite works", async () => {
    const { invite } = await teamWithAdmin("Ivy");
    expect(await signUpWith(invite.token, invite.email)).toBe("joined");
  });
});
