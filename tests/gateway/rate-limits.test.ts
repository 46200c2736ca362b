import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { openDatabase, type Database } from "@/db/client";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import type { Actor } from "@/lib/core/actor";
import { createKey, type CreateKeyInput } from "@/lib/keys/create-key";
import { updateKey } from "@/lib/keys/update-key";
import { makeActor } from "../helpers/actors";
import { client, registerFakeModels, startHarness, type Harness } from "../helpers/harness";

/**
 * Per-key rate limits through real gateways and the openai SDK, counted in Postgres (leased
 * slices, no Redis) and in Redis. Limits must hold across processes: "another process" is a
 * second runtime on its own connection (Postgres) or the same database object (PGlite), and
 * for Redis a second runtime with its own Redis connection. Redis is required, not optional:
 * TEST_REDIS_URL (or REDIS_URL), else the local server CI starts (.ci/run).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let h: Harness;
let other: Database;
let alice: Actor;

beforeAll(async () => {
  h = await startHarness();
  await registerFakeModels(h.database, h.upstream.url, ["json", "slow"]);
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

async function serve(
  database: Database,
  redisUrl: string | null,
  usageFlushMs = 200,
): Promise<Served> {
  const runtime = await createGatewayRuntime(database, {
    log: () => {},
    redisUrl,
    config: { usageFlushMs },
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

const newKey = (extra: Partial<CreateKeyInput>) =>
  createKey(h.database.db, alice, {
    name: "limited",
    type: "model_serving",
    teamId: null,
    spendingLimit: null,
    expiresAt: null,
    ...extra,
  });

type Outcome =
  { ok: true; headers: Headers } | { ok: false; status: number; code: string; headers: Headers };

async function ask(
  sdk: OpenAI,
  model = "fake/json",
  extra: Record<string, unknown> = {},
): Promise<Outcome> {
  try {
    const { response } = await sdk.chat.completions
      .create({ model, messages: [{ role: "user", content: "hi" }], ...extra })
      .withResponse();
    return { ok: true, headers: response.headers };
  } catch (error) {
    const e = error as InstanceType<typeof OpenAI.APIError>;
    return {
      ok: false,
      status: e.status ?? 0,
      code: String(e.code),
      headers: e.headers ?? new Headers(),
    };
  }
}

describe("the hot path without Redis", () => {
  it("a key with an RPM limit and an allowed list serves many requests from one claimed slice of the minute", async () => {
    // The store's timer (which gives back idle slices) does not fire during this test.
    const a = await serve(h.database, null, 600_000);
    try {
      const { key, rawKey } = await newKey({
        rateLimits: { requestsPerMinute: 80_000 },
        allowedModels: ["fake/json"],
      });
      for (let i = 0; i < 20; i++) expect(await ask(a.sdk(rawKey))).toMatchObject({ ok: true });
      const { rateLimitWindows } = await import("@/db/schema");
      const { eq } = await import("drizzle-orm");
      const rows = await h.database.db
        .select()
        .from(rateLimitWindows)
        .where(eq(rateLimitWindows.keyId, key.id));
      // One slice (an eighth of the minute), claimed once (twice if the minute turned); per-request writes would count 20.
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.length).toBeLessThanOrEqual(2);
      for (const row of rows) expect(row.requests).toBe(10_000);
    } finally {
      await a.close();
    }
  });
});

describe("concurrency slots of a process that stopped (no Redis)", () => {
  it("count until their lease expires, then come back", async () => {
    const { leaseRateLimitStore } = await import("@/lib/gateway/stores/rate-limit/lease-store");
    const { key } = await newKey({ rateLimits: { maxConcurrent: 1 } });
    const record = {
      id: key.id,
      rateLimits: { requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: 1 },
    } as Parameters<ReturnType<typeof leaseRateLimitStore>["admit"]>[0];
    // A's timer never renews: it behaves like a process killed while a request was in flight.
    const crashed = leaseRateLimitStore(h.database.db, { intervalMs: 600_000, slotTtlMs: 500 });
    const alive = leaseRateLimitStore(other.db, { intervalMs: 600_000, slotTtlMs: 500 });
    try {
      expect(await crashed.admit(record, 0, Date.now())).toMatchObject({ allowed: true });
      expect(await alive.admit(record, 0, Date.now())).toMatchObject({
        allowed: false,
        reason: "concurrency",
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await alive.admit(record, 0, Date.now())).toMatchObject({ allowed: true });
    } finally {
      await alive.close();
    }
  });
});

const stores = [
  ["Postgres (no Redis)", null],
  ["Redis", REDIS_URL],
] as const;

describe.each(stores)("rate limits on %s", (_name, redisUrl) => {
  it("requests per minute: refuses with 429 rate_limit_exceeded, retry-after and the x-ratelimit headers on every answer", async () => {
    const a = await serve(h.database, redisUrl);
    try {
      const { rawKey } = await newKey({ rateLimits: { requestsPerMinute: 3 } });
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 5; i++) outcomes.push(await ask(a.sdk(rawKey)));
      const served = outcomes.filter((o) => o.ok);
      // A minute boundary in the middle lets the previous minute's count weigh less, never more.
      expect(served.length).toBeGreaterThanOrEqual(3);
      expect(served.length).toBeLessThanOrEqual(4);
      expect(served[0].headers.get("x-ratelimit-limit-requests")).toBe("3");
      expect(served[0].headers.get("x-ratelimit-remaining-requests")).toMatch(/^\d+$/);
      expect(served[0].headers.get("x-ratelimit-reset-requests")).toMatch(/^(\d+m)?\d+m?s$/);
      const refused = outcomes.at(-1)!;
      expect(refused).toMatchObject({ ok: false, status: 429, code: "rate_limit_exceeded" });
      const seconds = Number(refused.headers.get("retry-after"));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("0");
      // The model list is not counted but carries the headers too.
      const list = await a.sdk(rawKey).models.list().withResponse();
      expect(list.response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    } finally {
      await a.close();
    }
  });

  it("holds one limit across two processes", async () => {
    const [a, b] = await Promise.all([serve(h.database, redisUrl), serve(other, redisUrl)]);
    try {
      const { rawKey } = await newKey({ rateLimits: { requestsPerMinute: 10 } });
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => ask((i % 2 ? a : b).sdk(rawKey))),
      );
      const served = outcomes.filter((o) => o.ok).length;
      expect(served).toBeLessThanOrEqual(10);
      expect(served).toBeGreaterThanOrEqual(5);
      expect(
        outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.code === "rate_limit_exceeded"),
      ).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("holds max concurrent across two processes", async () => {
    const [a, b] = await Promise.all([serve(h.database, redisUrl), serve(other, redisUrl)]);
    try {
      const { rawKey } = await newKey({ rateLimits: { maxConcurrent: 1 } });
      const first = ask(a.sdk(rawKey), "fake/slow", { fake_delay_ms: 800 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await ask(b.sdk(rawKey))).toMatchObject({
        ok: false,
        status: 429,
        code: "rate_limit_exceeded",
      });
      expect(await first).toMatchObject({ ok: true });
      // A's slot is free once its request ended; B may use it once A's timer gives it back.
      await a.runtime.flush();
      expect(await ask(b.sdk(rawKey))).toMatchObject({ ok: true });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("tokens per minute: counts real usage, and shows the tokens headers", async () => {
    const a = await serve(h.database, redisUrl);
    try {
      // A fake/json exchange uses a few tens of tokens: a 120-token minute allows only a few.
      const { rawKey } = await newKey({ rateLimits: { tokensPerMinute: 120 } });
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(await ask(a.sdk(rawKey)));
        await a.runtime.flush();
      }
      const served = outcomes.filter((o) => o.ok);
      expect(served.length).toBeGreaterThanOrEqual(1);
      expect(served.length).toBeLessThan(12);
      expect(served[0].headers.get("x-ratelimit-limit-tokens")).toBe("120");
      expect(Number(served[0].headers.get("x-ratelimit-remaining-tokens"))).toBeLessThan(120);
      expect(outcomes.at(-1)).toMatchObject({
        ok: false,
        status: 429,
        code: "rate_limit_exceeded",
      });
    } finally {
      await a.close();
    }
  });

  it("max concurrent: a second request while one is in flight is refused, then served once it ends", async () => {
    const a = await serve(h.database, redisUrl);
    try {
      const { rawKey } = await newKey({ rateLimits: { maxConcurrent: 1 } });
      const first = ask(a.sdk(rawKey), "fake/slow", { fake_delay_ms: 800 });
      // The slow model answers after 0.8 s (under its 1 s first-byte timeout).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await ask(a.sdk(rawKey))).toMatchObject({
        ok: false,
        status: 429,
        code: "rate_limit_exceeded",
      });
      expect(await first).toMatchObject({ ok: true });
      expect(await ask(a.sdk(rawKey))).toMatchObject({ ok: true });
    } finally {
      await a.close();
    }
  });

  it("an edit takes effect at once: raising the limit lets the key through", async () => {
    const a = await serve(h.database, redisUrl);
    try {
      const { key, rawKey } = await newKey({ rateLimits: { requestsPerMinute: 1 } });
      expect(await ask(a.sdk(rawKey))).toMatchObject({ ok: true });
      expect(await ask(a.sdk(rawKey))).toMatchObject({ ok: false, code: "rate_limit_exceeded" });
      await updateKey(h.database.db, alice, key.id, { rateLimits: { requestsPerMinute: 100 } });
      const after = await ask(a.sdk(rawKey));
      expect(after).toMatchObject({ ok: true });
      if (after.ok) expect(after.headers.get("x-ratelimit-limit-requests")).toBe("100");
    } finally {
      await a.close();
    }
  });
});
