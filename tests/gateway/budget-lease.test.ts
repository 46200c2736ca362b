import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { leasedBudgetStore } from "@/lib/gateway/stores/budget-lease";
import { KEY_CHANNEL } from "@/lib/keys/key-notify";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { keyStatus } from "@/lib/keys/status";
import {
  client,
  createKey,
  createUser,
  keyRow,
  registerFakeModels,
  startHarness,
  usageFor,
  type Harness,
} from "../helpers/harness";

/**
 * Budget leases: each process holds a slice of a key's remaining budget in
 * `api_keys.reserved` and spends it in memory. What must hold: processes together never
 * spend past the limit; a lease goes back on shutdown and when the key changes.
 * "Another process" is a second runtime on its own connection (Postgres) or on the same
 * database object (PGlite, which one process owns); either way it has its own leases.
 */
let h: Harness;
let other: Database;
let userId: string;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  userId = (await createUser(h.database)).id;
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
  baseURL: string;
  close(): Promise<void>;
}

/** A gateway whose timer never fires during a test: only flush, shutdown and key changes write. */
async function serve(database: Database): Promise<Served> {
  const runtime = await createGatewayRuntime(database, {
    log: () => {},
    config: { usageFlushMs: 600_000, reservationWaitMs: 3_000 },
  });
  const server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let closed = false;
  return {
    runtime,
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.shutdown();
    },
  };
}

async function until(probe: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ask = (sdk: OpenAI) =>
  sdk.chat.completions
    .create({ model: "fake/json", messages: [{ role: "user", content: "hi" }] })
    .then(
      (c) => c.choices[0].finish_reason as string,
      (e: InstanceType<typeof OpenAI.APIError>) => String(e.code),
    );

describe("budget leases", () => {
  it("two processes under concurrent load never spend past a key's limit", async () => {
    const [a, b] = await Promise.all([serve(h.database), serve(other)]);
    try {
      // A fake/json answer costs 21; the limit covers about 20 of the 80 requests.
      const limit = 420n;
      const { key, row } = await createKey(h.database, { userId, spendingLimit: limit });
      const clients = [client(a.baseURL, key), client(b.baseURL, key)];
      const results = await Promise.all(Array.from({ length: 80 }, (_, i) => ask(clients[i % 2])));
      await Promise.all([a.runtime.flush(), b.runtime.flush()]);

      const after = await keyRow(h.database, row.id);
      expect(after.spend).toBeLessThanOrEqual(limit);
      expect(after.reserved).toBe(0n);
      expect(results.filter((r) => !["stop", "length", "limit_reached"].includes(r))).toEqual([]);
      expect(results.filter((r) => r === "stop" || r === "length").length).toBeGreaterThan(5);
      expect(results.filter((r) => r === "limit_reached").length).toBeGreaterThan(0);
      const records = await usageFor(h.database, row.id);
      expect(records.reduce((sum, r) => sum + r.cost, 0n)).toBe(after.spend);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("grants from two stores on one key never add up past the limit, and settle exactly", async () => {
    const limit = 50_000n;
    const { row } = await createKey(h.database, { userId, spendingLimit: limit });
    const stores = [
      leasedBudgetStore(h.database.db, { intervalMs: 600_000 }),
      leasedBudgetStore(other.db, { intervalMs: 600_000 }),
    ];
    let outstanding = 0n; // granted and not yet settled, plus settled cost: what could be spent
    let worst = 0n;
    let charged = 0n;
    // Deterministic "random" costs, so that a failure can be replayed.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const store = stores[i % 2];
        const wanted = BigInt(200 + (next() % 800));
        const { granted } = await store.reserve(row.id, wanted, 50n);
        if (granted === 0n) return;
        outstanding += granted;
        if (outstanding > worst) worst = outstanding;
        await new Promise((resolve) => setTimeout(resolve, next() % 5));
        const cost = (granted * BigInt(next() % 101)) / 100n;
        await store.settle(row.id, granted, cost);
        outstanding -= granted - cost;
        charged += cost;
      }),
    );
    await Promise.all(stores.map((store) => store.close()));
    expect(worst).toBeLessThanOrEqual(limit);
    const after = await keyRow(h.database, row.id);
    expect(after.spend).toBe(charged);
    expect(after.reserved).toBe(0n);
  });

  it("a lease is held between requests and given back on shutdown, with the spend written", async () => {
    const a = await serve(h.database);
    const { key, row } = await createKey(h.database, { userId, spendingLimit: 1_000_000n });
    expect(await ask(client(a.baseURL, key))).toBe("stop");
    const held = await keyRow(h.database, row.id);
    // No request in flight, yet budget is reserved: the process's lease (and the 21 spent from
    // it, written on the timer: batched usage commits, the default).
    expect(held.reserved).toBeGreaterThan(21n);
    expect(held.spend).toBe(0n);

    await a.close();
    const after = await keyRow(h.database, row.id);
    expect(after.reserved).toBe(0n);
    expect(after.spend).toBe(21n);
  });

  it("a key revoked by another process: this process gives its lease back at once and refuses the key", async () => {
    const b = await serve(other);
    try {
      const { key, row } = await createKey(h.database, { userId, spendingLimit: 1_000_000n });
      const sdk = client(b.baseURL, key);
      expect(await ask(sdk)).toBe("stop");
      expect((await keyRow(h.database, row.id)).reserved).toBeGreaterThan(0n);

      // Revoked through the first connection with a NOTIFY, as lib/keys does from any process.
      await h.database.db
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(eq(apiKeys.id, row.id));
      await h.database.notify(KEY_CHANNEL, row.id);
      await until(async () => (await keyRow(h.database, row.id)).reserved === 0n);
      expect((await keyRow(h.database, row.id)).spend).toBe(21n);
      expect(await ask(sdk)).toBe("key_revoked");
    } finally {
      await b.close();
    }
  });

  it("a limit lowered below what a lease holds applies to the next request", async () => {
    const a = await serve(h.database);
    try {
      const { key, row } = await createKey(h.database, { userId, spendingLimit: 1_000_000n });
      const sdk = client(a.baseURL, key);
      expect(await ask(sdk)).toBe("stop");
      // Lowered to what was already spent: the process must not keep serving from its lease.
      await h.database.db.update(apiKeys).set({ spendingLimit: 21n }).where(eq(apiKeys.id, row.id));
      await h.database.notify(KEY_CHANNEL, row.id);
      await until(async () => (await keyRow(h.database, row.id)).reserved === 0n);
      expect(await ask(sdk)).toBe("limit_reached");
      await a.runtime.flush();
      const after = await keyRow(h.database, row.id);
      expect(after.spend).toBe(21n);
      expect(keyStatus(after)).toBe("limit_reached");
    } finally {
      await a.close();
    }
  });
});
