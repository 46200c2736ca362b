import { eq } from "drizzle-orm";
import { letEveryoneMakeTeams } from "../helpers/actors";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { billingAccounts, invites, teamMembers } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { createInvite, listPendingInvites, revokeInvite } from "@/lib/invites/invites";
import { getSignupSettings, updateSignupSettings } from "@/lib/settings/signup-settings";
import { addMember } from "@/lib/teams/members";
import { createTeam, getTeam } from "@/lib/teams/teams";
import { registerAccount, SignupRefusedError } from "@/lib/users/registration";
import { EmailTakenError, findOrCreateOidcUser, type PublicUser } from "@/lib/users/service";
import { openTestDatabase } from "@/tests/helpers/database";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let admin: PublicUser;
beforeAll(async () => {
  delete process.env.SIGNUP_MODE;
  resetEnvCache();
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  admin = await registerAccount(database.db, {
    name: "Root",
    email: "root@example.com",
    password: "a long password 1",
  });
});
afterAll(async () => {
  await database.close();
});
afterEach(async () => {
  delete process.env.SIGNUP_MODE;
  resetEnvCache();
  await updateSignupSettings(database.db, asActor(admin), { signupMode: "invite" });
});

const asActor = (user: PublicUser) => ({ user, keyId: null });
let n = 0;
const stranger = (overrides: { inviteToken?: string; email?: string } = {}) =>
  registerAccount(database.db, {
    name: "Stranger",
    email: overrides.email ?? `stranger-${++n}@example.com`,
    password: "a long password 2",
    inviteToken: overrides.inviteToken,
  });
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => "created",
    (error: unknown) => (error instanceof SignupRefusedError ? error.reason : String(error)),
  );

describe("who may join", () => {
  it("the first account of a fresh install is the platform admin, whatever the mode", () => {
    expect(admin.role).toBe("admin");
  });

  it("is invite only by default: a stranger cannot sign up", async () => {
    expect((await getSignupSettings(database.db)).signupMode).toBe("invite");
    expect(await reason(stranger())).toBe("invite_required");
  });

  it("an invite link works once, as the invited email, and is then spent", async () => {
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "Invited@Example.com",
    });
    expect(
      (await listPendingInvites(database.db, asActor(admin))).map((invite) => invite.email),
    ).toContain("invited@example.com");
    // The form's email is ignored: the link is for the invited address only.
    const user = await stranger({ inviteToken: token, email: "someone-else@example.com" });
    expect(user).toMatchObject({ email: "invited@example.com", role: "user" });
    expect(await reason(stranger({ inviteToken: token }))).toBe("invite_unusable");
    expect(
      (await listPendingInvites(database.db, asActor(admin))).map((invite) => invite.email),
    ).not.toContain("invited@example.com");
  });

  it("stores only a hash of the invite token", async () => {
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "hash@example.com",
    });
    const rows = await database.db.select().from(invites);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("an expired or revoked invite does not work", async () => {
    const longAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    const expired = await createInvite(
      database.db,
      asActor(admin),
      { email: "late@example.com" },
      longAgo,
    );
    expect(await reason(stranger({ inviteToken: expired.token }))).toBe("invite_unusable");
    const revoked = await createInvite(database.db, asActor(admin), {
      email: "revoked@example.com",
    });
    await revokeInvite(database.db, asActor(admin), revoked.invite.id);
    expect(await reason(stranger({ inviteToken: revoked.token }))).toBe("invite_unusable");
  });

  it("an invite is not spent by a sign-up that fails (the email already has an account)", async () => {
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "root@example.com",
    });
    await expect(stranger({ inviteToken: token })).rejects.toBeInstanceOf(EmailTakenError);
    expect(
      (await listPendingInvites(database.db, asActor(admin))).map((invite) => invite.email),
    ).toContain("root@example.com");
  });

  it("only platform admins invite to the install", async () => {
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "plain@example.com",
    });
    const plain = await stranger({ inviteToken: token });
    await expect(
      createInvite(database.db, asActor(plain), { email: "friend@example.com" }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("open lets anyone in; closed lets no one in, not even with an invite", async () => {
    await updateSignupSettings(database.db, asActor(admin), { signupMode: "open" });
    expect(await reason(stranger())).toBe("created");
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "closed@example.com",
    });
    await updateSignupSettings(database.db, asActor(admin), { signupMode: "closed" });
    expect(await reason(stranger())).toBe("closed");
    expect(await reason(stranger({ inviteToken: token }))).toBe("closed");
  });

  it("SIGNUP_MODE in the environment wins over the admin's setting, and says so", async () => {
    await updateSignupSettings(database.db, asActor(admin), { signupMode: "closed" });
    process.env.SIGNUP_MODE = "open";
    resetEnvCache();
    expect(await getSignupSettings(database.db)).toMatchObject({
      signupMode: "open",
      signupModeSource: "env",
      storedSignupMode: "closed",
    });
    expect(await reason(stranger())).toBe("created");
  });

  it("a new account starts with the defaults the admin set (included usage, overage)", async () => {
    await updateSignupSettings(database.db, asActor(admin), {
      newAccountIncludedMonthly: 5_000_000n,
      newAccountOverageEnabled: false,
    });
    const { token } = await createInvite(database.db, asActor(admin), {
      email: "defaults@example.com",
    });
    const user = await stranger({ inviteToken: token });
    const [account] = await database.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.userId, user.id));
    expect(account).toMatchObject({ includedMonthly: 5_000_000n, overageEnabled: false });
  });
});

describe("single sign-on", () => {
  it("creates accounts only under open sign-up, with the admin's defaults; existing accounts always sign in", async () => {
    expect(await findOrCreateOidcUser(database.db, "sso-new@example.com", "SSO")).toBeNull();
    expect(await findOrCreateOidcUser(database.db, "root@example.com", "Root")).toMatchObject({
      id: admin.id,
    });
    await updateSignupSettings(database.db, asActor(admin), {
      signupMode: "open",
      newAccountIncludedMonthly: 2_000_000n,
      newAccountOverageEnabled: false,
    });
    const created = await findOrCreateOidcUser(database.db, "sso-new@example.com", "SSO");
    expect(created).toMatchObject({ email: "sso-new@example.com", role: "user" });
    const [account] = await database.db
      .select()
      .from(billingAccounts)
      .where(eq(billingAccounts.userId, created!.id));
    expect(account).toMatchObject({ includedMonthly: 2_000_000n, overageEnabled: false });
  });
});

describe("adding a team member by email", () => {
  it("answers alike whether or not an account uses the email; the unknown email joins when signing up through the link", async () => {
    const { token: ownerToken } = await createInvite(database.db, asActor(admin), {
      email: "owner@example.com",
    });
    const owner = await stranger({ inviteToken: ownerToken });
    const team = await createTeam(database.db, asActor(owner), "Research");

    const existing = await addMember(database.db, asActor(owner), team.id, {
      email: "defaults@example.com",
      role: "member",
    });
    const unknown = await addMember(database.db, asActor(owner), team.id, {
      email: "newcomer@example.com",
      role: "admin",
    });
    const shape = (answer: object) => Object.keys(answer).sort();
    expect(shape(existing)).toEqual(shape(unknown));
    expect(existing.token).toEqual(expect.any(String));
    expect(unknown.token).toEqual(expect.any(String));

    // The existing account is a member at once; the unknown email is a pending team invite.
    let members = (await getTeam(database.db, asActor(owner), team.id)).members.map((m) => m.email);
    expect(members).toEqual(["owner@example.com", "defaults@example.com"]);
    expect(
      (await listPendingInvites(database.db, asActor(owner), team.id)).map(
        (invite) => invite.email,
      ),
    ).toEqual(["newcomer@example.com"]);

    const newcomer = await stranger({ inviteToken: unknown.token });
    members = (await getTeam(database.db, asActor(owner), team.id)).members.map((m) => m.email);
    expect(members).toContain("newcomer@example.com");
    const [membership] = await database.db
      .select()
      .from(teamMembers)
      .where(eq(teamMembers.userId, newcomer.id));
    expect(membership.role).toBe("admin");
  });
});
