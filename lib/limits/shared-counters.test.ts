import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { AuthFailureLimiter } from "@/lib/http/auth-failure-limiter";
import { openTestDatabase } from "@/tests/helpers/database";
import { databaseCounters, type SharedCounters } from "./shared-counters";

/**
 * The counters every process shares. On Postgres the "second process" is a second
 * connection pool to the same database, as another machine would have; on PGlite (one
 * process by construction) it is a second store over the same database.
 */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let other: Awaited<ReturnType<typeof openDatabase>> | null = null;
let first: SharedCounters;
let second: SharedCounters;

beforeAll(async () => {
  database = await openTestDatabase();
  if (database.url) other = await openDatabase({ url: database.url, maxConnections: 2 });
  first = databaseCounters(database.db);
  second = databaseCounters((other ?? database).db);
});
afterAll(async () => {
  await other?.close();
  await database?.close();
});

describe("shared attempt counters", () => {
  it("add from two processes into one total; read and remove see it", async () => {
    const hit = { key: "test:a", points: 1, windowMs: 60_000 };
    const totals = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).add([hit])),
    );
    expect(totals.map(([state]) => state.points).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const live = await second.read(["test:a", "test:none"]);
    expect(live.get("test:a")?.points).toBe(20);
    expect(live.get("test:a")?.msLeft).toBeGreaterThan(50_000);
    expect(live.has("test:none")).toBe(false);
    await first.remove("test:a");
    expect((await second.read(["test:a"])).size).toBe(0);
  });

  it("start a new window once the old one has ended", async () => {
    await first.add([{ key: "test:b", points: 5, windowMs: 50 }]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await first.read(["test:b"])).size).toBe(0);
    const [state] = await second.add([{ key: "test:b", points: 1, windowMs: 60_000 }]);
    expect(state.points).toBe(1);
  });
});

describe("failed keys across processes", () => {
  it("give one address exactly the budget of failures, whichever process sees them", async () => {
    const limiters = [first, second].map(
      (counters) => new AuthFailureLimiter(30, 60, "test", async () => counters),
    );
    const waits: number[] = [];
    for (let i = 0; i < 36; i++) waits.push(await limiters[i % 2].recordFailure("203.0.113.70"));
    expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(waits.slice(30).every((wait) => wait > 0)).toBe(true);
    // Both now refuse the address before looking at its key; a neighbour is unaffected.
    expect(limiters.map((limiter) => limiter.retryAfter("203.0.113.70") > 0)).toEqual([true, true]);
    expect(limiters[0].retryAfter("203.0.113.71")).toBe(0);
  });

  it("count an IPv6 client by its /64", async () => {
    const limiter = new AuthFailureLimiter(3, 60, "test6", async () => first);
    const waits = [];
    for (let i = 1; i <= 4; i++) waits.push(await limiter.recordFailure(`2001:db8:7:7::${i}`));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(limiter.retryAfter("2001:db8:7:7::99")).toBeGreaterThan(0);
    expect(limiter.retryAfter("2001:db8:7:8::1")).toBe(0);
  });
});
