import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { listOwnerBalances } from "@/lib/admin/balances-overview";
import { listTeamsOverview } from "@/lib/admin/teams-overview";
import { addPrepaidCredit, setOverageEnabled } from "@/lib/billing/balance-settings";
import { chargeOwner } from "@/lib/billing/charge";
import { addMember } from "@/lib/teams/members";
import { createTeam } from "@/lib/teams/teams";
import { makeActor, makeAdmin, letEveryoneMakeTeams } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";

let database: Database;
let db: Db;
let admin: Actor;

beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
  db = database.db;
  admin = await makeAdmin(db, "Root");
});
afterAll(async () => {
  await database?.close();
});

describe("Admin → Teams and Balances", () => {
  it("lists each team with its members (admins first) and its balance; every user with theirs", async () => {
    const lead = await makeActor(db, "Lead");
    const dev = await makeActor(db, "Dev");
    const team = await createTeam(db, lead, "Platform");
    await addMember(db, lead, team.id, { email: dev.user.email, role: "member" });
    await addPrepaidCredit(db, admin, { kind: "team", teamId: team.id }, 10_000_000n, "PO 7");
    await chargeOwner(db, { kind: "team", teamId: team.id }, 2_500_000n, null, new Date());
    await setOverageEnabled(db, admin, { kind: "user", userId: dev.user.id }, false);

    const [overview] = await listTeamsOverview(db, admin, "platf");
    expect(overview.name).toBe("Platform");
    expect(overview.members.map((m) => [m.name, m.role])).toEqual([
      ["Lead", "admin"],
      ["Dev", "member"],
    ]);
    expect(overview.balance).toMatchObject({ prepaidLeft: 7_500_000n, overageEnabled: true });

    const owners = await listOwnerBalances(db, admin);
    const teamRow = owners.find((o) => o.owner.kind === "team" && o.owner.teamId === team.id);
    const devRow = owners.find((o) => o.owner.kind === "user" && o.owner.userId === dev.user.id);
    expect(teamRow?.balance.prepaidLeft).toBe(7_500_000n);
    expect(devRow).toMatchObject({
      name: "Dev",
      email: dev.user.email,
      balance: { overageEnabled: false, blocked: true },
    });
    expect(owners.find((o) => o.name === "Lead")?.balance).toMatchObject({
      prepaidLeft: 0n,
      overageEnabled: true,
      blocked: false,
    });
    expect((await listOwnerBalances(db, admin, dev.user.email)).map((o) => o.name)).toEqual([
      "Dev",
    ]);
  });

  it("is for platform admins only", async () => {
    const user = await makeActor(db, "Nosy");
    await expect(listOwnerBalances(db, user)).rejects.toMatchObject({ status: 403 });
    await expect(listTeamsOverview(db, user)).rejects.toMatchObject({ status: 403 });
  });
});
