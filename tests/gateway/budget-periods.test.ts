import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { openDatabase, type Database } from "@/db/client";
import { leasedBudgetStore } from "@/lib/gateway/stores/budget-lease";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { onKeySpendSettled, type KeySpendSettled } from "@/lib/billing/spend-events";
import type { Actor } from "@/lib/core/actor";
import { createKey } from "@/lib/keys/create-key";
import { toKeyObject } from "@/lib/keys/key-view";
import { makeActor } from "../helpers/actors";
import { client, keyRow, registerFakeModels, startHarness, type Harness } from "../helpers/harness";

/**
 * Budget periods: the spend counted against the limit resets at each UTC boundary, once,
 * in every process, for a key idle across it too; lifetime spend is kept. The gateways here
 * run on a clock the test moves (real time plus an offset), so no test waits for midnight.
 * "Another process" is a second runtime on its own connection (Postgres) or on the same
 * database object (PGlite).
 */
let h: Harness;
let other: Database;
let alice: Actor;
let offset = 0;
const clock = () => Date.now() + offset;

// A fake/json answer costs 21 micro-units: a limit of 100 allows four, and a fifth cut to what is left.
const LIMIT = 100n;
const COST = 21n;
/**
 * The fake bills 11 prompt tokens for "hi", a few more than the tokenizer counts; the
 * gateway charges what the upstream billed (never clamped to the reservation), so the last
 * answer can pass the limit by that shortfall, and by nothing more.
 */
const BILLED_BEYOND_ESTIMATE = 3n;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  alice = await makeActor(h.database.db, "Alice");
  other = h.database.url
    ? await openDatabase({ url: h.database.url, maxConnections: 3 })
    : h.database;
});

afterAll(async () => {
  if (other && other !== h.database) await other.close();
  await h?.close();
});

interface Served {
  runtime: GatewayRuntime;
  sdk(key: string): OpenAI;
  close(): Promise<void>;
}

async function serve(database: Database): Promise<Served> {
  const runtime = await createGatewayRuntime(database, {
    log: () => {},
    clock,
    // A request the budget cannot cover while others are in flight waits for them to settle.
    // On a loaded machine (CI runs the suite on two cores) an answer can take longer than
    // a second, and a 1 s wait refused requests the budget could pay: the limit, not the
    // machine's speed, is what these tests check.
    config: { usageFlushMs: 600_000, reservationWaitMs: 10_000 },
  });
  const server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    runtime,
    sdk: (key) => client(baseURL, key),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.shutdown();
    },
  };
}

const ask = (sdk: OpenAI) =>
  sdk.chat.completions
    .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
    .then(
      () => "ok",
      (e: InstanceType<typeof OpenAI.APIError>) => String(e.code),
    );

/** Puts the test clock at `iso` (real time keeps running on top of it). */
const setClock = (iso: string) => {
  offset = new Date(iso).getTime() - Date.now();
};

const dailyKey = (now: Date) =>
  createKey(
    h.database.db,
    alice,
    {
      name: "daily",
      type: "model_serving",
      teamId: null,
      spendingLimit: LIMIT,
      expiresAt: null,
      budgetPeriod: "daily",
    },
    now,
  );

describe("budget periods", () => {
  it("refuses past the limit within a day, serves again after UTC midnight, keeps lifetime spend", async () => {
    setClock("2026-03-10T23:00:00Z");
    const { key, rawKey } = await dailyKey(new Date(clock()));
    const a = await serve(h.database);
    try {
      const day1 = [];
      for (let i = 0; i < 6; i++) day1.push(await ask(a.sdk(rawKey)));
      expect(day1.filter((r) => r === "ok").length).toBeGreaterThanOrEqual(4);
      expect(day1.at(-1)).toBe("limit_reached");
      await a.runtime.flush();
      const spent = await keyRow(h.database, key.id);
      expect(spent.periodSpend).toBeLessThanOrEqual(LIMIT + BILLED_BEYOND_ESTIMATE);
      expect(toKeyObject(spent, 1n, new Date(clock()))).toMatchObject({
        status: "limit_reached",
        period_resets_at: "2026-03-11T00:00:00.000Z",
      });
      const dayOne = spent.spend;

      setClock("2026-03-11T00:00:05Z");
      // The stored row still shows yesterday's spend, but it no longer counts.
      expect(toKeyObject(await keyRow(h.database, key.id), 1n, new Date(clock()))).toMatchObject({
        status: "active",
        period_spend: "0.00",
      });
      expect(await ask(a.sdk(rawKey))).toBe("ok");
      await a.runtime.flush();
      const after = await keyRow(h.database, key.id);
      expect(after.spend).toBe(dayOne + COST);
      expect(after.periodSpend).toBe(COST);
      expect(after.periodStart?.toISOString()).toBe("2026-03-11T00:00:00.000Z");
    } finally {
      await a.close();
    }
  });

  it("resets once across two processes, also for a process idle across the boundary", async () => {
    setClock("2026-03-16T23:30:00Z");
    const { key, rawKey } = await dailyKey(new Date(clock()));
    const [a, b] = await Promise.all([serve(h.database), serve(other)]);
    try {
      // Both processes serve the key and cache it before midnight; together they stop at the limit.
      const before = await Promise.all(
        Array.from({ length: 8 }, (_, i) => ask((i % 2 ? a : b).sdk(rawKey))),
      );
      expect(before.filter((r) => r === "ok").length).toBeGreaterThanOrEqual(4);
      expect(before).toContain("limit_reached");
      await Promise.all([a.runtime.flush(), b.runtime.flush()]);
      const dayOne = (await keyRow(h.database, key.id)).spend;
      expect(dayOne).toBeLessThanOrEqual(LIMIT);

      setClock("2026-03-17T00:00:01Z");
      // A spends in the new day and writes it; then B, idle since yesterday, serves and writes.
      expect(await ask(a.sdk(rawKey))).toBe("ok");
      await a.runtime.flush();
      expect(await ask(b.sdk(rawKey))).toBe("ok");
      await b.runtime.flush();
      const row = await keyRow(h.database, key.id);
      // B's write did not reset A's spend of the new day a second time.
      expect(row.periodSpend).toBe(2n * COST);
      expect(row.spend).toBe(dayOne + 2n * COST);
      expect(row.reserved).toBe(0n);
      // And the new day's limit holds across both again.
      const rest = await Promise.all(
        Array.from({ length: 6 }, (_, i) => ask((i % 2 ? a : b).sdk(rawKey))),
      );
      expect(rest).toContain("limit_reached");
      await Promise.all([a.runtime.flush(), b.runtime.flush()]);
      expect((await keyRow(h.database, key.id)).periodSpend).toBeLessThanOrEqual(
        LIMIT + BILLED_BEYOND_ESTIMATE,
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("charges a request in flight at the boundary to the period it started in, and tells listeners", async () => {
    setClock("2026-03-31T23:59:59Z");
    const { key } = await createKey(
      h.database.db,
      alice,
      {
        name: "monthly",
        type: "model_serving",
        teamId: null,
        spendingLimit: 1_000n,
        expiresAt: null,
        budgetPeriod: "monthly",
      },
      new Date(clock()),
    );
    const events: KeySpendSettled[] = [];
    const off = onKeySpendSettled((event) => event.keyId === key.id && events.push(event));
    const store = leasedBudgetStore(h.database.db, {
      intervalMs: 600_000,
      clock,
      onSettled: () => {},
    });
    const started = new Date("2026-03-01T00:00:00Z").getTime();
    try {
      const { granted } = await store.reserve(key.id, 300n, 10n);
      expect(granted).toBe(300n);
      setClock("2026-04-01T00:00:02Z");
      store.settle(key.id, granted, 250n, started);
      const { granted: next } = await store.reserve(key.id, 100n, 10n);
      store.settle(key.id, next, 40n, new Date("2026-04-01T00:00:00Z").getTime());
      await store.flush();
      const row = await keyRow(h.database, key.id);
      expect(row.spend).toBe(290n);
      expect(row.periodSpend).toBe(40n);
      expect(row.periodStart?.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    } finally {
      off();
      await store.close();
    }
    // Listeners hear from the runtime's stores; this bare store was given its own hook.
    expect(events).toEqual([]);
  });

  it("emits onKeySpendSettled with the period's spend and limit after a runtime writes spend", async () => {
    setClock("2026-05-06T10:00:00Z");
    const { key, rawKey } = await dailyKey(new Date(clock()));
    const events: KeySpendSettled[] = [];
    const off = onKeySpendSettled((event) => {
      if (event.keyId === key.id) events.push(event);
    });
    const a = await serve(h.database);
    try {
      expect(await ask(a.sdk(rawKey))).toBe("ok");
      await a.runtime.flush();
    } finally {
      off();
      await a.close();
    }
    expect(events[0]).toMatchObject({
      keyId: key.id,
      periodSpend: COST,
      spendingLimit: LIMIT,
      spend: COST,
    });
    expect(events[0].periodStart?.toISOString()).toBe("2026-05-06T00:00:00.000Z");
  });
});
