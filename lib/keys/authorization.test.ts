import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import type { Database } from "@/db/client";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import type { Actor } from "@/lib/core/actor";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { createKey } from "./create-key";
import { loadVisibleKey } from "./key-access";
import { keyUsageByDay } from "./key-usage";
import { listKeys } from "./list-keys";
import { revokeKey } from "./revoke-key";
import { updateKey } from "./update-key";

/**
 * Who sees what. Every refusal must look exactly like "no such key" / "no such team", so a
 * caller cannot even learn that the id exists.
 */
let database: Database;
let owner: Actor, admin: Actor, member: Actor, otherMember: Actor, outsider: Actor;
let teamId: string;
let personalKeyId: string, memberKeyId: string, otherMemberKeyId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  const db = database.db;
  owner = await makeActor(db, "Owner");
  admin = owner;
  member = await makeActor(db, "Member");
  otherMember = await makeActor(db, "Other");
  outsider = await makeActor(db, "Outsider");
  const team = await createTeam(db, admin, "Research");
  teamId = team.id;
  await addMember(db, admin, teamId, { email: member.user.email, role: "member" });
  await addMember(db, admin, teamId, { email: otherMember.user.email, role: "member" });
  const base = { type: "model_serving" as const, spendingLimit: null, expiresAt: null };
  personalKeyId = (await createKey(db, owner, { ...base, name: "owner personal", teamId: null }))
    .key.id;
  memberKeyId = (await createKey(db, member, { ...base, name: "member team key", teamId })).key.id;
  otherMemberKeyId = (await createKey(db, otherMember, { ...base, name: "other team key", teamId }))
    .key.id;
});
afterAll(async () => {
  await database?.close();
});

async function expectNotFound(promise: Promise<unknown>, what: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as Error).message).toBe(`No such ${what}`);
}

describe("personal keys", () => {
  it("are invisible to everyone but their creator, exactly like a key that does not exist", async () => {
    const db = database.db;
    for (const stranger of [member, outsider]) {
      await expectNotFound(loadVisibleKey(db, stranger, personalKeyId), "key");
      await expectNotFound(updateKey(db, stranger, personalKeyId, { name: "pwned" }), "key");
      await expectNotFound(revokeKey(db, stranger, personalKeyId), "key");
      await expectNotFound(keyUsageByDay(db, stranger, personalKeyId), "key");
      expect((await listKeys(db, stranger, { owner: "personal" })).map((k) => k.id)).not.toContain(
        personalKeyId,
      );
    }
    await expectNotFound(
      loadVisibleKey(db, outsider, "00000000-0000-4000-8000-000000000000"),
      "key",
    );
    await expectNotFound(loadVisibleKey(db, outsider, "not-a-uuid"), "key");
    expect((await loadVisibleKey(db, owner, personalKeyId)).name).toBe("owner personal");
  });
});

describe("team keys", () => {
  it("a member sees only the team keys they created; the admin sees all with their creators", async () => {
    const db = database.db;
    expect((await listKeys(db, member, { owner: teamId })).map((k) => k.name)).toEqual([
      "member team key",
    ]);
    const all = await listKeys(db, admin, { owner: teamId });
    expect(all.map((k) => [k.name, k.createdByName]).sort()).toEqual([
      ["member team key", "Member"],
      ["other team key", "Other"],
    ]);
  });

  it("a member cannot revoke or edit another member's team key", async () => {
    const db = database.db;
    await expectNotFound(revokeKey(db, member, otherMemberKeyId), "key");
    await expectNotFound(updateKey(db, member, otherMemberKeyId, { spendingLimit: 1n }), "key");
    expect((await loadVisibleKey(db, otherMember, otherMemberKeyId)).revokedAt).toBeNull();
  });

  it("a non-member listing a team, or creating a key in it, gets 'no such team'", async () => {
    const db = database.db;
    await expectNotFound(listKeys(db, outsider, { owner: teamId }), "team");
    await expectNotFound(
      createKey(db, outsider, {
        name: "sneaky",
        type: "model_serving",
        teamId,
        spendingLimit: null,
        expiresAt: null,
      }),
      "team",
    );
    await expectNotFound(loadVisibleKey(db, outsider, memberKeyId), "key");
  });

  it("the team admin edits and revokes a member's key", async () => {
    const db = database.db;
    const edited = await updateKey(db, admin, memberKeyId, { spendingLimit: 3_000_000n });
    expect(edited.spendingLimit).toBe(3_000_000n);
    const revoked = await revokeKey(db, admin, memberKeyId);
    expect(revoked.revokedBy).toBe(admin.user.id);
  });
});
