import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { databaseUsageSink } from "@/lib/gateway/stores/usage-sink";
import { openTestDatabase } from "../helpers/database";
import { keylessUsageEvent } from "../helpers/usage-event";

/**
 * The usage sink under steady load writes full batches, not a stream of small ones: rows
 * that arrive while a flush is writing wait for the next full batch (or the timer), rather
 * than being written by the same flush one small transaction after another. That loop cost
 * ~70 transactions a second at 5k req/s (each with a ledger entry and a balance reload) and
 * was the largest avoidable CPU cost on the /v1 process in the bench.
 */
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

const event = (tag: string, i: number) => keylessUsageEvent(`req_${tag}_${i}`, tag);

async function rowsTagged(tag: string): Promise<number> {
  const result = await database.db.execute(
    sql`select count(*)::int as n from usage_records where model = ${tag}`,
  );
  const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as {
    n: number;
  };
  return row.n;
}

describe("usage sink batching", () => {
  it("a full batch triggers one write; rows arriving during it wait for the next full batch", async () => {
    const tag = "batching-test";
    let writes = 0;
    let arrivingDuringWrite = 0;
    const sink = databaseUsageSink(database.db, {
      maxBatch: 100,
      intervalMs: 60_000,
      onFlushed: () => {
        writes++;
        // Requests keep coming while the flush is busy with the database.
        for (let i = 0; i < arrivingDuringWrite; i++)
          void sink.record(event(tag, 1000 + writes * 100 + i), { spendSettled: true });
        arrivingDuringWrite = 0;
      },
    });
    try {
      arrivingDuringWrite = 30;
      for (let i = 0; i < 100; i++) void sink.record(event(tag, i), { spendSettled: true });
      await sink.flush();
      expect(writes).toBe(1);
      expect(sink.pending()).toBe(30);
      expect(await rowsTagged(tag)).toBe(100);

      // 70 more make a full batch with the 30 waiting: one more write of exactly those 100.
      for (let i = 0; i < 70; i++) void sink.record(event(tag, 200 + i), { spendSettled: true });
      await sink.flush();
      expect(writes).toBe(2);
      expect(sink.pending()).toBe(0);
      expect(await rowsTagged(tag)).toBe(200);
    } finally {
      await sink.close();
    }
  });

  it("an explicit flush writes every row recorded before it was called", async () => {
    const tag = "batching-explicit";
    const sink = databaseUsageSink(database.db, { maxBatch: 100, intervalMs: 60_000 });
    try {
      for (let i = 0; i < 250; i++) void sink.record(event(tag, i), { spendSettled: true });
      await sink.flush();
      expect(sink.pending()).toBe(0);
      expect(await rowsTagged(tag)).toBe(250);
    } finally {
      await sink.close();
    }
  });
});
