import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { createTeam } from "@/lib/teams/teams";
import { createKey } from "./create-key";
import { revokeKey } from "./revoke-key";
import { updateKey } from "./update-key";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Every row of every table in the public schema, as text. */
async function dumpEveryTable(db: Database["db"]): Promise<string> {
  const tables = await db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const list = (Array.isArray(tables) ? tables : (tables as { rows: { table_name: string }[] }).rows).map((t) => t.table_name);
  expect(list).toEqual(expect.arrayContaining(["api_keys", "audit_log", "users", "teams"]));
  let dump = "";
  for (const name of list) {
    const rows = await db.execute(sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`);
    dump += `\n-- ${name}\n` + JSON.stringify(rows);
  }
  return dump;
}

describe("raw keys", () => {
  it("appear in no table after being created, edited and revoked", async () => {
    const db = database.db;
    const user = await makeActor(db, "Keeper");
    const team = await createTeam(db, user, "Vault");
    const raw: string[] = [];
    for (const [type, teamId] of [["model_serving", null], ["management", null], ["model_serving", team.id]] as const) {
      const { key, rawKey } = await createKey(db, user, { name: `k-${type}`, type, teamId, spendingLimit: 5_000_000n, expiresAt: null });
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
