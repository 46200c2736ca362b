import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { updateSignupSettings } from "@/lib/settings/signup-settings";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { registerAccount } from "@/lib/users/registration";
import { makeActor, makeAdmin } from "../helpers/actors";
import { openTestDatabase } from "../helpers/database";

/**
 * Issue 27 item 7: under invite-only, a team is not a side door. Only platform admins
 * create teams unless "Who may create teams" says everyone, and a team admin's invite
 * creates a new account only where `team_invites_create_accounts` allows (by default, in
 * teams a platform admin created). Before, any user made a team, added a stranger's email,
 * and the stranger got an account with the new-account allowance (3 of 3 joined).
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

const settings = (input: Parameters<typeof updateSignupSettings>[2]) =>
  updateSignupSettings(database.db, platform, input);

let n = 0;
async function strangerJoinsThrough(admin: Actor, teamId: string) {
  const email = `stranger-${++n}-${Date.now()}@example.test`;
  const invite = await addMember(database.db, admin, teamId, { email, role: "member" });
  return registerAccount(database.db, {
    name: "Stranger",
    email,
    password: "a long enough password 1",
    inviteToken: invite.token,
  }).then(
    () => "joined",
    (error: { reason?: string }) => error.reason ?? "error",
  );
}

describe("invite-only is a gate", () => {
  it("a user cannot create a team unless the admin allows everyone (or sign-up is open)", async () => {
    const user = await makeActor(database.db, "User");
    const refused = await createTeam(database.db, user, "Side door").then(
      () => null,
      (error: { code?: string; message?: string }) => error,
    );
    expect(refused?.code).toBe("forbidden");
    expect(refused?.message).toContain("Who may create teams");

    await settings({ whoMayCreateTeams: "everyone" });
    expect((await createTeam(database.db, user, "Allowed")).role).toBe("admin");
    await settings({ whoMayCreateTeams: "admins", signupMode: "open" });
    expect((await createTeam(database.db, user, "Open install")).role).toBe("admin");
    await settings({ signupMode: "invite" });
  });

  it("a team a user created: its invites add existing accounts only (by default); always lets them in", async () => {
    await settings({ whoMayCreateTeams: "everyone" });
    const user = await makeActor(database.db, "Founder");
    const team = await createTeam(database.db, user, "User's team");
    expect(await strangerJoinsThrough(user, team.id)).toBe("team_invite_no_account");
    await settings({ teamInvitesCreateAccounts: "always" });
    expect(await strangerJoinsThrough(user, team.id)).toBe("joined");
    await settings({ teamInvitesCreateAccounts: "admin_teams", whoMayCreateTeams: "admins" });
  });

  it("a team a platform admin created: its team admin's invites create accounts, unless never", async () => {
    const lead = await makeActor(database.db, "Lead");
    const team = await createTeam(database.db, platform, "Admin's team");
    await addMember(database.db, platform, team.id, { email: lead.user.email, role: "admin" });
    expect(await strangerJoinsThrough(lead, team.id)).toBe("joined");
    await settings({ teamInvitesCreateAccounts: "never" });
    expect(await strangerJoinsThrough(lead, team.id)).toBe("team_invite_no_account");
    // The platform admin's own team invite always may: she could invite them to the install.
    expect(await strangerJoinsThrough(platform, team.id)).toBe("joined");
    await settings({ teamInvitesCreateAccounts: "admin_teams" });
  });
});
