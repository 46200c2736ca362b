import { eq } from "drizzle-orm";
import { letEveryoneMakeTeams } from "../../tests/helpers/actors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { FieldError, KeyLimitReachedError } from "@/lib/errors/domain-errors";
import { resetEnvCache } from "@/lib/env";
import { createTeam } from "@/lib/teams/teams";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { createKey, PLAYGROUND_KEY_NAME, type CreateKeyInput } from "./create-key";
import { hashKey, parseKey } from "./format";
import { loadVisibleKey } from "./key-access";
import { toKeyObject } from "./key-view";
import { listKeys } from "./list-keys";
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

const personal = (name: string, extra: Partial<CreateKeyInput> = {}): CreateKeyInput => ({
  name,
  type: "model_serving",
  teamId: null,
  spendingLimit: null,
  expiresAt: null,
  ...extra,
});

describe("creating keys", () => {
  it("returns the full key once and stores only its hash, prefix and last four characters", async () => {
    const alice = await makeActor(database.db, "Alice");
    const { key, rawKey } = await createKey(
      database.db,
      alice,
      personal("CI pipeline", { spendingLimit: 12_500_000n }),
    );
    expect(parseKey(rawKey)).toEqual({ kind: "live", prefix: "mb_live_" });
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.keyHash).toBe(hashKey(rawKey));
    expect(row.prefix).toBe("mb_live_");
    expect(row.last4).toBe(rawKey.slice(-4));
    const view = toKeyObject(key, 1n);
    expect(view).toMatchObject({
      name: "CI pipeline",
      type: "model_serving",
      status: "active",
      spend: "0.00",
      spending_limit: "12.50",
      team_id: null,
    });
    expect(view.display).toBe(`mb_live_…${rawKey.slice(-4)}`);
    expect(JSON.stringify(view)).not.toContain(rawKey.slice(8, 30));
  });

  it("makes Management keys with the mb_mgmt_ prefix and refuses them for a team", async () => {
    const alice = await makeActor(database.db, "Alice");
    const team = await createTeam(database.db, alice, "Platform");
    const { rawKey } = await createKey(
      database.db,
      alice,
      personal("deploy bot", { type: "management" }),
    );
    expect(rawKey.startsWith("mb_mgmt_")).toBe(true);
    await expect(
      createKey(database.db, alice, personal("team bot", { type: "management", teamId: team.id })),
    ).rejects.toBeInstanceOf(FieldError);
  });

  it("refuses the next key once the account holds its cap of active keys, and counts revoked ones out", async () => {
    process.env.MAX_ACTIVE_KEYS_PER_ACCOUNT = "3";
    resetEnvCache();
    try {
      const bob = await makeActor(database.db, "Bob");
      const made = [];
      for (const n of [1, 2, 3]) made.push(await createKey(database.db, bob, personal(`key ${n}`)));
      const refused = createKey(database.db, bob, personal("key 4"));
      await expect(refused).rejects.toBeInstanceOf(KeyLimitReachedError);
      await expect(refused).rejects.toThrow(/Revoke a key you no longer use/);
      await revokeKey(database.db, bob, made[0].key.id);
      await expect(createKey(database.db, bob, personal("key 4"))).resolves.toBeTruthy();
      // The cap is per account: Bob's team has its own.
      const team = await createTeam(database.db, bob, "Bob's team");
      await expect(
        createKey(database.db, bob, personal("team key", { teamId: team.id })),
      ).resolves.toBeTruthy();
    } finally {
      delete process.env.MAX_ACTIVE_KEYS_PER_ACCOUNT;
      resetEnvCache();
    }
  });

  it("does not count the Playground's own key against the cap, nor refuse it at the cap", async () => {
    process.env.MAX_ACTIVE_KEYS_PER_ACCOUNT = "2";
    resetEnvCache();
    try {
      const carol = await makeActor(database.db, "Carol");
      await createKey(database.db, carol, personal("one"));
      await createKey(database.db, carol, personal("two"));
      // At the cap, the Playground still gets its key...
      await expect(
        createKey(database.db, carol, personal(PLAYGROUND_KEY_NAME, { forPlayground: true })),
      ).resolves.toBeTruthy();
      // ...and it takes no place: the cap is still two keys of the user's own.
      await expect(createKey(database.db, carol, personal("three"))).rejects.toBeInstanceOf(
        KeyLimitReachedError,
      );
      const dave = await makeActor(database.db, "Dave");
      await createKey(database.db, dave, personal(PLAYGROUND_KEY_NAME, { forPlayground: true }));
      await createKey(database.db, dave, personal("one"));
      await expect(createKey(database.db, dave, personal("two"))).resolves.toBeTruthy();
    } finally {
      delete process.env.MAX_ACTIVE_KEYS_PER_ACCOUNT;
      resetEnvCache();
    }
  });
});

describe("listing, editing and revoking", () => {
  it("searches by name and filters by derived status", async () => {
    const carol = await makeActor(database.db, "Carol");
    const a = await createKey(database.db, carol, personal("cursor laptop"));
    const b = await createKey(database.db, carol, personal("CI 100%_special"));
    await revokeKey(database.db, carol, b.key.id);
    const expired = await createKey(database.db, carol, personal("old contractor"));
    await database.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expired.key.id));

    expect((await listKeys(database.db, carol, { owner: "personal" })).map((k) => k.name)).toEqual([
      "old contractor",
      "CI 100%_special",
      "cursor laptop",
    ]);
    expect(
      (await listKeys(database.db, carol, { owner: "personal", search: "LAPTOP" })).map(
        (k) => k.id,
      ),
    ).toEqual([a.key.id]);
    expect(
      (await listKeys(database.db, carol, { owner: "personal", search: "100%_" })).map((k) => k.id),
    ).toEqual([b.key.id]);
    expect(
      (await listKeys(database.db, carol, { owner: "personal", status: "revoked" })).map(
        (k) => k.id,
      ),
    ).toEqual([b.key.id]);
    expect(
      (await listKeys(database.db, carol, { owner: "personal", status: "expired" })).map(
        (k) => k.id,
      ),
    ).toEqual([expired.key.id]);
    expect(
      (await listKeys(database.db, carol, { owner: "personal", status: "active" })).map(
        (k) => k.id,
      ),
    ).toEqual([a.key.id]);
  });

  it("raising the limit above spend makes a limit_reached key active again; null removes the limit", async () => {
    const dave = await makeActor(database.db, "Dave");
    const { key } = await createKey(
      database.db,
      dave,
      personal("budgeted", { spendingLimit: 1_000_000n }),
    );
    await database.db.update(apiKeys).set({ spend: 1_000_000n }).where(eq(apiKeys.id, key.id));
    expect(toKeyObject(await loadVisibleKey(database.db, dave, key.id), 1n).status).toBe(
      "limit_reached",
    );
    const raised = await updateKey(database.db, dave, key.id, {
      spendingLimit: 5_000_000n,
      name: "budgeted (raised)",
    });
    expect(toKeyObject(raised, 1n)).toMatchObject({
      status: "active",
      spending_limit: "5.00",
      spend: "1.00",
      name: "budgeted (raised)",
    });
    const unlimited = await updateKey(database.db, dave, key.id, { spendingLimit: null });
    expect(toKeyObject(unlimited, 1n).spending_limit).toBeNull();
  });

  it("revokes at once and for good", async () => {
    const erin = await makeActor(database.db, "Erin");
    const { key } = await createKey(database.db, erin, personal("to revoke"));
    const revoked = await revokeKey(database.db, erin, key.id);
    expect(toKeyObject(revoked, 1n).status).toBe("revoked");
    expect(revoked.revokedBy).toBe(erin.user.id);
    // Revoking again is harmless and keeps the first revocation time.
    expect((await revokeKey(database.db, erin, key.id)).revokedAt).toEqual(revoked.revokedAt);
    await expect(
      updateKey(database.db, erin, key.id, { spendingLimit: 9_000_000n }),
    ).rejects.toThrow(/revoked key cannot be changed/);
  });
});
