import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { modelDeployments, models } from "@/db/schema";
import { FIRST_COOLDOWN_MS } from "@/lib/models/breaker-rules";
import { databaseBreakerStore } from "@/lib/gateway/stores/breakers/database-store";
import { redisBreakerStore } from "@/lib/gateway/stores/breakers/redis-store";
import type { BreakerStore } from "@/lib/gateway/stores/breakers/types";
import { openTestDatabase } from "../helpers/database";

/**
 * The breaker is shared: what one process's store learns, another's sees (through NOTIFY,
 * or Redis pub/sub), and only one of them probes a deployment whose cooldown is over.
 * Each "process" is its own store with its own cache (and, on Postgres, its own connection).
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function deployment(database: Database): Promise<string> {
  const [model] = await database.db
    .insert(models)
    .values({
      name: `m-${randomBytes(4).toString("hex")}`,
      baseUrl: "http://127.0.0.1:9/v1",
      inputPricePerMillion: 1n,
      outputPricePerMillion: 1n,
    })
    .returning();
  const [row] = await database.db
    .insert(modelDeployments)
    .values({ modelId: model.id, baseUrl: model.baseUrl })
    .returning();
  return row.id;
}

const until = async (check: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

const fail = { kind: "failure", retryAfterMs: null, error: "status 503", probe: false } as const;

async function sharedBehaviour(a: BreakerStore, b: BreakerStore, id: string) {
  const t0 = Date.now();
  await a.failure(id, fail, t0);
  await a.failure(id, fail, t0);
  expect(a.availability(id, t0)).toBe("closed");
  await a.failure(id, fail, t0);
  expect(a.availability(id, t0)).toBe("open");
  expect(a.state(id)?.openUntil).toBe(t0 + FIRST_COOLDOWN_MS);
  // B, another process, learns it without a request of its own reading the store.
  expect(await until(() => b.availability(id, t0) === "open")).toBe(true);

  // The cooldown is over: A and B race for the probe; exactly one wins.
  const later = t0 + FIRST_COOLDOWN_MS + 1;
  const claims = await Promise.all([a.claimProbe(id, later), b.claimProbe(id, later)]);
  expect(claims.filter(Boolean)).toHaveLength(1);
  const prober = claims[0] ? a : b;
  const other = claims[0] ? b : a;
  expect(await until(() => other.availability(id, later) === "probing")).toBe(true);
  expect(await other.claimProbe(id, later)).toBe(false);

  // The probe fails: the cooldown doubles.
  await prober.failure(id, { ...fail, probe: true }, later);
  expect(prober.state(id)?.cooldownMs).toBe(2 * FIRST_COOLDOWN_MS);
  expect(prober.state(id)?.openUntil).toBe(later + 2 * FIRST_COOLDOWN_MS);

  // A longer Retry-After wins; a later, shorter failure never shortens it.
  await b.failure(
    id,
    { kind: "retry-after", retryAfterMs: 90_000, error: "429", probe: false },
    later,
  );
  expect(b.state(id)?.openUntil).toBe(later + 90_000);
  await a.failure(id, fail, later + 1);
  expect(a.state(id)?.openUntil).toBe(later + 90_000);

  // A success closes it, everywhere.
  const after = later + 90_001;
  expect(await a.claimProbe(id, after)).toBe(true);
  await a.success(id, after);
  expect(a.availability(id, after)).toBe("closed");
  expect(await until(() => b.availability(id, after) === "closed")).toBe(true);
}

describe("circuit breakers shared by every process", () => {
  it("on the database: opened by one, seen by the other; one probe at a time", async () => {
    const first = await openTestDatabase();
    cleanups.push(() => first.close());
    // On Postgres, the second "process" has its own connection; PGlite is one process's.
    const second = first.url ? await openDatabase({ url: first.url, maxConnections: 2 }) : first;
    if (second !== first) cleanups.push(() => second.close());
    const id = await deployment(first);
    const a = await databaseBreakerStore(first);
    const b = await databaseBreakerStore(second);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await sharedBehaviour(a, b, id);
  }, 120_000);

  it("in Redis: the same", async () => {
    const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    const prefix = `mb:test:br:${randomBytes(4).toString("hex")}:`;
    const a = await redisBreakerStore(url, { prefix });
    const b = await redisBreakerStore(url, { prefix });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await sharedBehaviour(a, b, "00000000-0000-4000-8000-00000000000b");
  });
});
