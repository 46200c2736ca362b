import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "../budget";
import { previousWeight, WINDOW_MS } from "./window";

/**
 * The statements behind the Postgres rate-limit store (lease-store.ts). A process claims a
 * slice of a key's minute in one transaction, the minute's row locked, so that what all
 * processes together claim never passes the sliding-window limit.
 */
/**
 * Which counters: a key's (rate_limit_windows) or a deployment's (deployment_rate_windows,
 * PRODUCT.md "Routing": per-deployment requests/tokens per minute). Same columns, same rules.
 */
export interface WindowTable {
  table: "rate_limit_windows" | "deployment_rate_windows";
  id: "key_id" | "deployment_id";
}
export const KEY_WINDOWS: WindowTable = { table: "rate_limit_windows", id: "key_id" };
export const DEPLOYMENT_WINDOWS: WindowTable = {
  table: "deployment_rate_windows",
  id: "deployment_id",
};

export interface WindowClaim {
  requests: number;
  tokens: number;
  /** What the window still allowed after this claim (for the remaining-* headers). */
  requestsLeft: number;
  tokensLeft: number;
}

export interface ClaimAsk {
  keyId: string;
  windowStart: number;
  now: number;
  /** Null: not limited. */
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** At least this much or nothing; up to `ask…` when the window has room. */
  needRequests: number;
  needTokens: number;
  askRequests: number;
  askTokens: number;
}

export async function claimWindow(
  db: Db,
  ask: ClaimAsk,
  windows: WindowTable = KEY_WINDOWS,
): Promise<WindowClaim> {
  const table = sql.identifier(windows.table);
  const idColumn = sql.identifier(windows.id);
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const start = new Date(ask.windowStart).toISOString();
    const previous = new Date(ask.windowStart - WINDOW_MS).toISOString();
    await tx.execute(
      sql`insert into ${table} (${idColumn}, window_start) values (${ask.keyId}, ${start}::timestamptz) on conflict do nothing`,
    );
    const rows = rowsOf<{ window_start: string | Date; requests: number; tokens: string }>(
      await tx.execute(sql`
        select window_start, requests, tokens from ${table}
        where ${idColumn} = ${ask.keyId} and window_start in (${start}::timestamptz, ${previous}::timestamptz)
        order by window_start desc
        for update`),
    );
    const at = (row: { window_start: string | Date }) => new Date(row.window_start).getTime();
    const current = rows.find((row) => at(row) === ask.windowStart)!;
    const prior = rows.find((row) => at(row) !== ask.windowStart);
    const weight = previousWeight(ask.now);
    const usedRequests = Math.floor((prior?.requests ?? 0) * weight) + current.requests;
    const usedTokens = Math.floor(Number(prior?.tokens ?? 0) * weight) + Number(current.tokens);
    const roomRequests =
      ask.requestsPerMinute === null ? Infinity : ask.requestsPerMinute - usedRequests;
    const roomTokens = ask.tokensPerMinute === null ? Infinity : ask.tokensPerMinute - usedTokens;
    const grant = (need: number, want: number, room: number) =>
      room < need ? 0 : Math.min(want, room);
    let requests =
      ask.requestsPerMinute === null
        ? 0
        : grant(ask.needRequests, Math.max(ask.needRequests, ask.askRequests), roomRequests);
    let tokens =
      ask.tokensPerMinute === null
        ? 0
        : grant(ask.needTokens, Math.max(ask.needTokens, ask.askTokens), roomTokens);
    // Both or neither: a request needs its request and its tokens.
    const short =
      (ask.requestsPerMinute !== null && requests < ask.needRequests) ||
      (ask.tokensPerMinute !== null && tokens < ask.needTokens);
    if (short && (ask.needRequests > 0 || ask.needTokens > 0)) {
      requests = 0;
      tokens = 0;
    }
    if (requests > 0 || tokens > 0) {
      await tx.execute(sql`
        update ${table} set requests = requests + ${requests}, tokens = tokens + ${tokens}
        where ${idColumn} = ${ask.keyId} and window_start = ${start}::timestamptz`);
    }
    return {
      requests,
      tokens,
      requestsLeft: roomRequests - requests,
      tokensLeft: roomTokens - tokens,
    };
  });
}

/** Gives back what a process claimed and did not use, and adds tokens used beyond the estimates. */
export async function adjustWindow(
  db: Db,
  keyId: string,
  windowStart: number,
  requests: number,
  tokens: number,
  windows: WindowTable = KEY_WINDOWS,
): Promise<void> {
  if (requests === 0 && tokens === 0) return;
  await db.execute(sql`
    update ${sql.identifier(windows.table)} set requests = greatest(requests + ${requests}, 0), tokens = greatest(tokens + ${tokens}, 0)
    where ${sql.identifier(windows.id)} = ${keyId} and window_start = ${new Date(windowStart).toISOString()}::timestamptz`);
}

/** Windows older than the sliding estimate reads: nobody needs them. */
export async function pruneWindows(
  db: Db,
  before: number,
  windows: WindowTable = KEY_WINDOWS,
): Promise<void> {
  await db.execute(
    sql`delete from ${sql.identifier(windows.table)} where window_start < ${new Date(before).toISOString()}::timestamptz`,
  );
}

/**
 * Claims concurrency slots for a key: at most `max` across the holders whose lease has not
 * expired. Serialized per key with an advisory lock (the key's row stays free for budgets).
 */
export async function claimSlots(
  db: Db,
  keyId: string,
  holder: string,
  want: number,
  max: number,
  ttlMs: number,
): Promise<number> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`concurrency:${keyId}`}))`);
    const [row] = rowsOf<{ others: number; mine: number }>(
      await tx.execute(sql`
        select coalesce(sum(slots) filter (where holder <> ${holder} and expires_at > now()), 0)::int as others,
               coalesce(sum(slots) filter (where holder = ${holder}), 0)::int as mine
        from concurrency_leases where key_id = ${keyId}`),
    );
    const free = max - row.others - row.mine;
    const granted = Math.max(0, Math.min(want, free));
    if (granted === 0) return 0;
    await tx.execute(sql`
      insert into concurrency_leases (key_id, holder, slots, expires_at)
      values (${keyId}, ${holder}, ${granted}, now() + ${ttlMs} * interval '1 millisecond')
      on conflict (key_id, holder) do update set slots = concurrency_leases.slots + excluded.slots, expires_at = excluded.expires_at`);
    return granted;
  });
}

/** Sets what this process holds of each key (giving back idle slots) and renews the leases. */
export async function renewSlots(
  db: Db,
  holder: string,
  held: Map<string, number>,
  ttlMs: number,
): Promise<void> {
  for (const [keyId, slots] of held) {
    if (slots === 0)
      await db.execute(
        sql`delete from concurrency_leases where key_id = ${keyId} and holder = ${holder}`,
      );
    else {
      await db.execute(sql`
        update concurrency_leases set slots = ${slots}, expires_at = now() + ${ttlMs} * interval '1 millisecond'
        where key_id = ${keyId} and holder = ${holder}`);
    }
  }
}
