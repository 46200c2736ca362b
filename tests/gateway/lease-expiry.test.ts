import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/db/client";
import { leasedBudgetStore } from "@/lib/gateway/stores/budget-lease";
import { openTestDatabase } from "../helpers/database";
import { createKey, createUser, keyRow } from "../helpers/harness";

/**
 * A process killed with its budget lease held (kill -9: no shutdown, no write-back) must not
 * strand the key's budget: once its lease expires, another process can use the key up to
 * its full limit. The killed process is a real one, on the same database.
 */
const TTL_MS = 1_500;
const LIMIT = 1_000n;
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The database for both processes: a scratch Postgres database, or a PGlite data directory. */
async function sharedDatabase(): Promise<{
  env: Record<string, string>;
  open(): Promise<Database>;
  first: Database;
}> {
  if (process.env.TEST_DATABASE_URL) {
    const first = await openTestDatabase();
    cleanups.push(() => first.close());
    return { env: { LEASE_DATABASE_URL: first.url! }, open: async () => first, first };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "mb-lease-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await openDatabase({ dataDir });
  // PGlite: one process at a time on a data directory; the parent reopens it after the kill.
  return { env: { LEASE_DATA_DIR: dataDir }, open: () => openDatabase({ dataDir }), first };
}

function holdLease(
  env: Record<string, string>,
): Promise<{ granted: bigint; kill(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(process.cwd(), "tests/gateway/lease-holder-process.ts")],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (data: Buffer) => {
      out += data.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line)
        resolve({
          granted: BigInt(JSON.parse(line).granted),
          kill: async () => void (child.kill("SIGKILL"), await exited),
        });
    });
    child.once("exit", (code) => reject(new Error(`lease holder exited early (${code})`)));
  });
}

describe("a crashed process's budget lease", () => {
  it("expires: after kill -9, another process can spend the key's full limit within the lease's lifetime", async () => {
    const shared = await sharedDatabase();
    const user = await createUser(shared.first);
    const { row } = await createKey(shared.first, { userId: user.id, spendingLimit: LIMIT });
    const pglite = !process.env.TEST_DATABASE_URL;
    if (pglite) await shared.first.close();

    const holder = await holdLease({
      ...shared.env,
      LEASE_KEY_ID: row.id,
      LEASE_AMOUNT: String(LIMIT),
      LEASE_TTL_MS: String(TTL_MS),
    });
    expect(holder.granted).toBe(LIMIT);
    await holder.kill();

    const database = await shared.open();
    if (pglite) cleanups.push(() => database.close());
    // The killed process's lease is still in the books: the whole limit is held.
    expect((await keyRow(database, row.id)).reserved).toBe(LIMIT);

    const store = leasedBudgetStore(database.db, { leaseTtlMs: TTL_MS, intervalMs: 200 });
    cleanups.push(() => store.close());
    let granted = 0n;
    const deadline = Date.now() + TTL_MS * 4;
    while (granted === 0n && Date.now() < deadline) {
      granted = (await store.reserve(row.id, LIMIT, LIMIT)).granted;
      if (granted === 0n) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(granted).toBe(LIMIT);
    store.settle(row.id, granted, LIMIT);
    await store.flush();
    const after = await keyRow(database, row.id);
    expect(after.spend).toBe(LIMIT);
    expect(after.reserved).toBe(0n);
    // Two processes each open the embedded database (a new data directory is created in a
    // child process of its own first): slower than the default timeout on a loaded machine.
  }, 90_000);
});
