import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { models } from "@/db/schema";
import { openTestDatabase } from "@/tests/helpers/database";
import { decryptCredential, encryptCredential } from "./credential-crypto";
import { rotateCredentials } from "./rotate-credentials";

/**
 * Rotating the credential encryption key: during a rotation both keys decrypt; the rotation
 * re-encrypts every stored credential so that the old key alone opens none of them; and the
 * script does it against a real data directory.
 */
const oldKey = randomBytes(32);
const newKey = randomBytes(32);
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function addModel(db: Database["db"], name: string, credential: string, key: Buffer) {
  await db.insert(models).values({
    name,
    baseUrl: "http://127.0.0.1:9/v1",
    apiKeyEncrypted: encryptCredential(credential, key),
    inputPricePerMillion: 1n,
    outputPricePerMillion: 1n,
  });
}

describe("credential key rotation", () => {
  it("decrypts with the previous key while rotating, and only with it when given", () => {
    const stored = encryptCredential("sk-old", oldKey);
    expect(decryptCredential(stored, newKey, oldKey)).toBe("sk-old");
    expect(() => decryptCredential(stored, newKey, null)).toThrow();
  });

  it("re-encrypts every credential with the new key", async () => {
    const db = database.db;
    await addModel(db, "rot/a", "sk-upstream-a", oldKey);
    await addModel(db, "rot/b", "sk-upstream-b", newKey); // already rotated: still fine
    const { rotated } = await rotateCredentials(db, newKey, oldKey);
    expect(rotated).toBe(2);
    const rows = await db
      .select({ name: models.name, stored: models.apiKeyEncrypted })
      .from(models);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r.stored!]));
    expect(decryptCredential(byName["rot/a"], newKey, null)).toBe("sk-upstream-a");
    expect(decryptCredential(byName["rot/b"], newKey, null)).toBe("sk-upstream-b");
    expect(() => decryptCredential(byName["rot/a"], oldKey, null)).toThrow();
  });

  it("stops, naming the model, when a credential opens with neither key", async () => {
    await addModel(database.db, "rot/lost", "sk-lost", randomBytes(32));
    await expect(rotateCredentials(database.db, newKey, oldKey)).rejects.toThrow(/rot\/lost/);
  });
});

describe("scripts/rotate-encryption-key.ts", () => {
  it("re-encrypts a data directory's credentials with the new key", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "mb-rotate-"));
    try {
      const local = await openDatabase({ dataDir });
      await addModel(local.db, "rot/script", "sk-script", oldKey);
      await local.close();
      const env = {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        ENCRYPTION_KEY: newKey.toString("base64"),
        ENCRYPTION_KEY_PREVIOUS: oldKey.toString("base64"),
      };
      const { stdout } = await promisify(execFile)(
        "npx",
        ["tsx", "scripts/rotate-encryption-key.ts"],
        { env, timeout: 60_000 },
      );
      expect(stdout).toContain('"rotated":1');
      const reopened = await openDatabase({ dataDir });
      const [row] = await reopened.db
        .select({ stored: models.apiKeyEncrypted })
        .from(models)
        .where(eq(models.name, "rot/script"));
      await reopened.close();
      expect(decryptCredential(row.stored!, newKey, null)).toBe("sk-script");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
