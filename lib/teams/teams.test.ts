import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import type { Database } from "@/db/client";
import { FieldError, ForbiddenError, NotFoundError } from "@/lib/errors/domain-errors";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { addMember, changeMemberRole, removeMember } from "./members";
import { createTeam, getTeam, listTeams } from "./teams";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe("teams", () => {
  it("the creator becomes admin; members are added by email (any case) and listed with their roles", async () => {
    const db = database.db;
    const ann = await makeActor(db, "Ann");
    const ben = await makeActor(db, "Ben");
    const team = await createTeam(db, ann, "Search");
    expect(team.role).toBe("admin");
    const added = await addMember(db, ann, team.id, {
      email: ben.user.email.toUpperCase(),
      role: "member",
    });
    expect(added).toMatchObject({
      email: ben.user.email,
      role: "member",
      token: expect.any(String),
    });
    expect(await listTeams(db, ben)).toEqual([
      expect.objectContaining({ id: team.id, name: "Search", role: "member", memberCount: 2 }),
    ]);
    const details = await getTeam(db, ben, team.id);
    expect(details.members.map((m) => [m.name, m.role])).toEqual([
      ["Ann", "admin"],
      ["Ben", "member"],
    ]);
  });

  it("an unknown email becomes a pending team invite (not an error); someone already in the team is a conflict", async () => {
    const db = database.db;
    const ann = await makeActor(db, "Ann");
    const team = await createTeam(db, ann, "Infra");
    const unknown = await addMember(db, ann, team.id, {
      email: "nobody@example.test",
      role: "member",
    });
    expect(unknown).toMatchObject({
      email: "nobody@example.test",
      role: "member",
      token: expect.any(String),
    });
    expect((await getTeam(db, ann, team.id)).members.map((m) => m.email)).toEqual([ann.user.email]);
    const again = await addMember(db, ann, team.id, {
      email: ann.user.email,
      role: "member",
    }).catch((e) => e);
    expect(again).toMatchObject({ field: "email", status: 409 });
  });

  it("only admins manage members; non-members learn nothing; a member may leave", async () => {
    const db = database.db;
    const ann = await makeActor(db, "Ann");
    const ben = await makeActor(db, "Ben");
    const cat = await makeActor(db, "Cat");
    const team = await createTeam(db, ann, "Ops");
    await addMember(db, ann, team.id, { email: ben.user.email, role: "member" });
    await expect(
      addMember(db, ben, team.id, { email: cat.user.email, role: "member" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(changeMemberRole(db, ben, team.id, ben.user.id, "admin")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(getTeam(db, cat, team.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      addMember(db, cat, team.id, { email: cat.user.email, role: "admin" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await removeMember(db, ben, team.id, ben.user.id);
    expect(await listTeams(db, ben)).toEqual([]);
  });

  it("keeps at least one admin, and a promoted member can then take over", async () => {
    const db = database.db;
    const ann = await makeActor(db, "Ann");
    const ben = await makeActor(db, "Ben");
    const team = await createTeam(db, ann, "Data");
    await addMember(db, ann, team.id, { email: ben.user.email, role: "member" });
    await expect(changeMemberRole(db, ann, team.id, ann.user.id, "member")).rejects.toThrow(
      /at least one admin/,
    );
    await expect(removeMember(db, ann, team.id, ann.user.id)).rejects.toThrow(/at least one admin/);
    await changeMemberRole(db, ann, team.id, ben.user.id, "admin");
    await removeMember(db, ben, team.id, ann.user.id);
    expect((await getTeam(db, ben, team.id)).members.map((m) => [m.name, m.role])).toEqual([
      ["Ben", "admin"],
    ]);
    await expect(removeMember(db, ben, team.id, ann.user.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
