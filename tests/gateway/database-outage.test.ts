import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { openDatabase, setProcessDatabase, type Database } from "@/db/client";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { databaseUsageSink } from "@/lib/gateway/stores/usage-sink";
import { checkReadiness } from "@/lib/health";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { startPrivatePostgres, type PrivatePostgres } from "../helpers/private-postgres";
import { keylessUsageEvent } from "../helpers/usage-event";
import { startFakeUpstream, type FakeUpstream } from "../upstream/start-fake-upstream";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  usageFor,
} from "../helpers/harness";

/**
 * Postgres stopped while the gateway serves, then started again — on a private server
 * (tests/helpers/private-postgres.ts), never the shared one. What must hold:
 * - readiness turns false while it is down and true again after;
 * - what cannot be done safely (a limited key whose budget must be reserved) is a 503
 *   service_unavailable in OpenAI's envelope, not a 500;
 * - a cached key without a limit is still served, its records buffered in memory;
 * - when the server is back everything recovers with no restart: the limited key is served
 *   again and every buffered record is written and charged.
 */
let pg: PrivatePostgres;
let database: Database;
let upstream: FakeUpstream;
let runtime: GatewayRuntime;
let server: http.Server;
let baseURL: string;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
  [pg, upstream] = await Promise.all([startPrivatePostgres(), startFakeUpstream()]);
  database = await openDatabase({ url: pg.url, maxConnections: 5 });
  setProcessDatabase(database);
  runtime = await createGatewayRuntime(database, {
    log: (line) => logs.push(line),
    config: { usageFlushMs: 100, reservationWaitMs: 1_000 },
  });
  server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  await registerFakeModels(database, upstream.url, ["json"]);
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.shutdown().catch(() => undefined);
  await database?.close().catch(() => undefined);
  await upstream?.stop();
  pg?.destroy();
});

const ask = (apiKey: string) =>
  client(baseURL, apiKey)
    .chat.completions.create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
    .then(
      () => null,
      (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
    );

/** Polls until `check` holds, at most `ms`: every wait in this file is bounded. */
async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

describe("database outage", () => {
  it("503 for what needs the database, cached unlimited keys still served, full recovery without a restart", async () => {
    const user = await createUser(database);
    const unlimited = await createKey(database, { userId: user.id });
    const limited = await createKey(database, { userId: user.id, spendingLimit: 5_000_000n });
    // Warm the caches (key, model, balance), then give back the limited key's budget lease:
    // its next request must go to the database.
    expect(await ask(unlimited.key)).toBeNull();
    expect(await ask(limited.key)).toBeNull();
    await runtime.flush();
    expect((await checkReadiness(1_000)).ready).toBe(true);

    pg.stop();
    const down = await checkReadiness(1_000);
    expect(down).toMatchObject({ ready: false, database: "unreachable" });

    const refused = await ask(limited.key);
    expect(refused?.status).toBe(503);
    expect(refused?.code).toBe("service_unavailable");
    expect(refused?.error).toMatchObject({
      type: "api_error",
      code: "service_unavailable",
      message: expect.any(String),
    });
    expect(refused?.requestID).toMatch(/^req_/);

    const servedDuringOutage = 10;
    for (let i = 0; i < servedDuringOutage; i++) expect(await ask(unlimited.key)).toBeNull();
    // Let a few flushes fail: the rows must stay buffered, not be dropped.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(logs.some((line) => line.msg === "usage flush failed")).toBe(true);
    // Operators see them waiting on /metrics.
    const scraped = await gatewayMetrics().registry.metrics();
    expect(
      Number(scraped.match(/^modelbridge_usage_records_pending (\d+)$/m)?.[1]),
    ).toBeGreaterThanOrEqual(servedDuringOutage + 1);

    pg.start();
    await until(async () => (await checkReadiness(1_000)).ready, 15_000);
    await until(async () => (await ask(limited.key)) === null, 15_000);
    await runtime.flush();

    const unlimitedRecords = await usageFor(database, unlimited.row.id);
    expect(unlimitedRecords.filter((r) => r.status === 200)).toHaveLength(1 + servedDuringOutage);
    const unlimitedRow = await keyRow(database, unlimited.row.id);
    expect(unlimitedRow.spend).toBe(unlimitedRecords.reduce((sum, r) => sum + r.cost, 0n));
    expect(unlimitedRow.spend).toBeGreaterThan(0n);

    const limitedRecords = await usageFor(database, limited.row.id);
    expect(
      limitedRecords.some((r) => r.status === 503 && r.errorCode === "service_unavailable"),
    ).toBe(true);
    const limitedRow = await keyRow(database, limited.row.id);
    expect(limitedRow.reserved).toBe(0n);
    expect(limitedRow.spend).toBe(limitedRecords.reduce((sum, r) => sum + r.cost, 0n));
  });

  it("records buffered during an outage are bounded at 50,000 (the newest kept) and written when it returns", async () => {
    const sink = databaseUsageSink(database.db, { intervalMs: 60_000 });
    const event = (i: number) => keylessUsageEvent(`req_bound_${i}`, "bound-test");
    pg.stop();
    try {
      const sent = 50_500;
      for (let i = 0; i < sent; i++) void sink.record(event(i), { spendSettled: true });
      await sink.flush();
      // The documented bound (SECURITY.md, usage-sink.ts): the oldest beyond it are dropped.
      expect(sink.pending()).toBe(50_000);
    } finally {
      pg.start();
    }
    await until(async () => (await checkReadiness(1_000)).ready, 15_000);
    await sink.close();
    expect(sink.pending()).toBe(0);
    const { sql } = await import("drizzle-orm");
    const result = await database.db.execute(sql`
      select count(*)::int as n,
        count(*) filter (where request_id in ('req_bound_0', 'req_bound_499'))::int as oldest_kept,
        count(*) filter (where request_id in ('req_bound_500', 'req_bound_50499'))::int as newest_kept
      from usage_records where model = 'bound-test'`);
    const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as {
      n: number;
      oldest_kept: number;
      newest_kept: number;
    };
    expect(row).toEqual({ n: 50_000, oldest_kept: 0, newest_kept: 2 });
  });
});
