import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { createKey } from "@/lib/keys/create-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { makeActor } from "@/tests/helpers/actors";
import { openTestDatabase } from "@/tests/helpers/database";
import { authenticateManagementKey } from "./management-key-auth";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const make = (type: "management" | "model_serving") => ({
  name: type,
  type,
  teamId: null,
  spendingLimit: null,
  expiresAt: null,
});

async function failure(token: string) {
  const error = await authenticateManagementKey(database.db, token).then(
    () => null,
    (e) => e,
  );
  return error && { status: error.status, code: error.code };
}

describe("Management key authentication", () => {
  it("acts for the key's creator and records when it was last used", async () => {
    const db = database.db;
    const owner = await makeActor(db, "Scripter");
    const { key, rawKey } = await createKey(db, owner, make("management"));
    const actor = await authenticateManagementKey(db, rawKey);
    expect(actor).toEqual({ user: owner.user, keyId: key.id });
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("refuses bad checksums, unknown, revoked and expired keys, a disabled creator, and Model Serving keys", async () => {
    const db = database.db;
    const owner = await makeActor(db, "Scripter");
    const good = await createKey(db, owner, make("management"));
    const flipped =
      good.rawKey.slice(0, 20) + (good.rawKey[20] === "a" ? "b" : "a") + good.rawKey.slice(21);
    expect(await failure(flipped)).toEqual({ status: 401, code: "invalid_api_key" });

    const serving = await createKey(db, owner, make("model_serving"));
    expect(await failure(serving.rawKey)).toEqual({ status: 403, code: "wrong_key_type" });

    const revoked = await createKey(db, owner, make("management"));
    await revokeKey(db, owner, revoked.key.id);
    expect(await failure(revoked.rawKey)).toEqual({ status: 401, code: "key_revoked" });

    const expired = await createKey(db, owner, make("management"));
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(apiKeys.id, expired.key.id));
    expect(await failure(expired.rawKey)).toEqual({ status: 401, code: "key_expired" });

    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, owner.user.id));
    expect(await failure(good.rawKey)).toEqual({ status: 401, code: "account_disabled" });
  });
});
