import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import type { Database } from "@/db/client";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { dumpEveryTable as dumpTables } from "@/tests/helpers/dump-tables";
import { createTeam } from "@/lib/teams/teams";
import { createKey } from "./create-key";
import { revokeKey } from "./revoke-key";
import { updateKey } from "./update-key";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await letEveryoneMakeTeams(database.db);
});
afterAll(async () => {
  await database?.close();
});

async function dumpEveryTable(db: Database["db"]): Promise<string> {
  const { tables, dump } = await dumpTables(db);
  expect(tables).toEqual(expect.arrayContaining(["api_keys", "audit_log", "users", "teams"]));
  return dump;
}

describe("raw keys", () => {
  it("appear in no table after being created, edited and revoked", async () => {
    const db = database.db;
    const user = await makeActor(db, "Keeper");
    const team = await createTeam(db, user, "Vault");
    const raw: string[] = [];
    for (const [type, teamId] of [
      ["model_serving", null],
      ["management", null],
      ["model_serving", team.id],
    ] as const) {
      const { key, rawKey } = await createKey(db, user, {
        name: `k-${type}`,
        type,
        teamId,
        spendingLimit: 5_000_000n,
        expiresAt: null,
      });
      raw.push(rawKey);
      await updateKey(db, user, key.id, { name: `${key.name} renamed` });
      if (teamId) await revokeKey(db, user, key.id);
    }
    const dump = await dumpEveryTable(db);
    expect(dump).toContain("k-management renamed");
    for (const key of raw) {
      expect(dump).not.toContain(key);
      // Nor the secret part on its own (the stored last four characters are by design).
      expect(dump).not.toContain(key.slice(8, -4));
    }
  });
});
