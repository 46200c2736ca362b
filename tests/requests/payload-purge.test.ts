import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rowsOf } from "@/db/rows-of";
import { purgePayloads } from "@/lib/requests/payload-purge";
import { openTestDatabase } from "@/tests/helpers/database";

/**
 * The purge removes captured payloads past the retention and nothing else: not a payload
 * one second inside it, not a usage row. On Postgres a second OS process purges the same
 * table at the same moment (each process's timer does this in production): together they
 * delete every old row exactly once. PGlite is served by one process only, so there the
 * two purges run side by side in one process.
 */
let database: Database & { url?: string };
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const NOW = Date.parse("2026-06-10T12:00:00Z");
const RETENTION_MS = 7 * 86_400_000;
const cutoff = new Date(NOW - RETENTION_MS);

async function seed(old: number, fresh: number) {
  await database.db.execute(sql`delete from request_payloads`);
  // Old: from 30 days to 1 second past the retention; fresh: from 1 second inside it to now.
  await database.db.execute(sql`
    insert into request_payloads (request_id, request_headers, request_body, created_at)
    select 'old_' || g, '{}'::jsonb, 'x', ${cutoff.toISOString()}::timestamptz - interval '1 second' - (g || ' minutes')::interval
    from generate_series(0, ${sql.raw(String(old - 1))}) g`);
  await database.db.execute(sql`
    insert into request_payloads (request_id, request_headers, request_body, created_at)
    select 'new_' || g, '{}'::jsonb, 'y', ${cutoff.toISOString()}::timestamptz + interval '1 second' + (g || ' seconds')::interval
    from generate_series(0, ${sql.raw(String(fresh - 1))}) g`);
  await database.db.execute(sql`
    insert into usage_records (request_id, model, status, created_at)
    values ('old_0', 'm', 200, ${new Date(NOW - 30 * 86_400_000).toISOString()}::timestamptz)`);
}

const left = async () =>
  rowsOf<{ request_id: string }>(
    await database.db.execute(sql`select request_id from request_payloads order by request_id`),
  ).map((r) => r.request_id);

function otherProcess(url: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(process.cwd(), "tests/requests/purge-process.ts")],
    {
      env: {
        ...process.env,
        PURGE_DATABASE_URL: url,
        PURGE_CUTOFF: cutoff.toISOString(),
        PURGE_BATCH: "25",
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (data: Buffer) => {
      out += data.toString();
      if (out.includes("ready\n")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`purge process exited (${code}): ${out}`)));
  });
  const result = new Promise<number>((resolve, reject) => {
    child.once("exit", () => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line).deleted);
      else reject(new Error(`purge process said: ${out}`));
    });
  });
  return { ready, go: () => child.stdin!.end("go\n"), result };
}

describe("payload purge", () => {
  it("removes payloads past the retention and nothing else", async () => {
    await seed(120, 30);
    const deleted = await purgePayloads(database.db, cutoff, 25);
    expect(deleted).toBe(120);
    const rest = await left();
    expect(rest).toHaveLength(30);
    expect(rest.every((id) => id.startsWith("new_"))).toBe(true);
    // The usage row of a purged payload stays: only the payload goes.
    const usage = rowsOf<{ n: number }>(
      await database.db.execute(
        sql`select count(*)::int as n from usage_records where request_id = 'old_0'`,
      ),
    );
    expect(usage[0].n).toBe(1);
    // Run again: nothing left to purge.
    expect(await purgePayloads(database.db, cutoff, 25)).toBe(0);
  });

  it("with two purges at once, every old payload is deleted exactly once", async () => {
    await seed(400, 50);
    let counts: number[];
    if (database.url) {
      const other = otherProcess(database.url);
      await other.ready;
      other.go();
      counts = await Promise.all([purgePayloads(database.db, cutoff, 25), other.result]);
    } else {
      counts = await Promise.all([
        purgePayloads(database.db, cutoff, 25),
        purgePayloads(database.db, cutoff, 25),
      ]);
    }
    expect(counts[0] + counts[1]).toBe(400);
    const rest = await left();
    expect(rest).toHaveLength(50);
    expect(rest.every((id) => id.startsWith("new_"))).toBe(true);
  }, 60_000);
});
