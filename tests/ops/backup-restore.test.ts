import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { createScratchDatabase, dropScratchDatabase } from "../helpers/database";
import { createKey, createUser } from "../helpers/harness";

/**
 * docs/backup-and-restore.md, run as written: scripts/ops/backup.sh, wipe, scripts/ops/
 * restore.sh, and the data is all there. On the embedded database (the default pass) the
 * data directory, secrets included; on Postgres (TEST_DATABASE_URL) pg_dump / pg_restore
 * into a dropped and re-created database.
 */
const adminUrl = process.env.TEST_DATABASE_URL;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "mb-backup-"));
const run = (script: string, args: string[], env: Record<string, string>) =>
  execFileSync("bash", [path.join("scripts/ops", script), ...args], {
    env: { ...process.env, DATABASE_URL: "", ...env },
    encoding: "utf8",
    stdio: "pipe",
  });

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function seed(database: Database) {
  const user = await createUser(database);
  const { key } = await createKey(database, { userId: user.id });
  return { userId: user.id, key };
}

async function snapshot(database: Database, userId: string) {
  const [user] = await database.db.select().from(users).where(eq(users.id, userId));
  const keys = await database.db.select().from(apiKeys).where(eq(apiKeys.createdBy, userId));
  return { email: user?.email, keys: keys.map((k) => [k.id, k.keyHash, String(k.spend)]) };
}

// One of the two runs on each pass (no skipped test): the database the pass is about.
if (!adminUrl)
  describe("the embedded database's data directory", () => {
    it(
      "is backed up while stopped, wiped, restored, and opens with every row and secret",
      { timeout: 180_000 },
      async () => {
        const dataDir = path.join(work, "data");
        const file = path.join(work, "backup.tar.gz");
        let database = await openDatabase({ dataDir });
        const { userId } = await seed(database);
        const before = await snapshot(database, userId);
        fs.writeFileSync(path.join(dataDir, "secret-example"), "kept");
        // While the server runs, the script refuses (the lock's pid is alive: this process).
        expect(() => run("backup.sh", [file], { DATA_DIR: dataDir })).toThrow(/stop it first/);
        await database.close();

        run("backup.sh", [file], { DATA_DIR: dataDir });
        fs.rmSync(dataDir, { recursive: true, force: true });
        run("restore.sh", [file], { DATA_DIR: dataDir });
        // Restore never overwrites: a second restore into the now full directory is refused.
        expect(() => run("restore.sh", [file], { DATA_DIR: dataDir })).toThrow(/not empty/);

        database = await openDatabase({ dataDir });
        try {
          expect(await snapshot(database, userId)).toEqual(before);
          expect(before.keys).toHaveLength(1);
          expect(fs.readFileSync(path.join(dataDir, "secret-example"), "utf8")).toBe("kept");
        } finally {
          await database.close();
        }
      },
    );
  });

if (adminUrl)
  describe("a Postgres database", () => {
    it(
      "is dumped while in use, dropped, re-created, restored, and has every row",
      { timeout: 120_000 },
      async () => {
        const url = await createScratchDatabase(adminUrl!);
        const file = path.join(work, "backup.dump");
        const name = new URL(url).pathname.slice(1);
        let database = await openDatabase({ url, maxConnections: 2 });
        try {
          const { userId } = await seed(database);
          const before = await snapshot(database, userId);
          // Taken with the database open and in use, as in production.
          run("backup.sh", [file], { DATABASE_URL: url });
          await database.close();

          const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
          await admin.unsafe(`drop database ${name} with (force)`);
          await admin.unsafe(`create database ${name}`);
          await admin.end();
          run("restore.sh", [file], { DATABASE_URL: url });

          database = await openDatabase({ url, maxConnections: 2 });
          expect(await snapshot(database, userId)).toEqual(before);
          expect(before.keys).toHaveLength(1);
        } finally {
          await database.close();
          await dropScratchDatabase(adminUrl!, url);
        }
      },
    );
  });
