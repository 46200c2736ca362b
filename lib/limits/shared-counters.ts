import { sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { rowsOf } from "@/db/rows-of";

/**
 * Fixed-window attempt counters in the database (table `limiter_counters`), so that every
 * process on one Postgres counts the same sign-in, sign-up and failed-key attempts: N
 * processes behind a load balancer allow what one would, not N times as much. Each call is
 * one statement; the database's clock decides windows, so processes on several machines
 * agree. These limiters count failures and rare actions, never every /v1 request, so the
 * round trip is paid only by the requests they are about.
 */
export interface CounterState {
  points: number;
  /** Milliseconds until the window ends (0 when there is no live window). */
  msLeft: number;
}

export interface CounterHit {
  key: string;
  points: number;
  windowMs: number;
}

export interface SharedCounters {
  /** Adds points to each counter, starting a window where none is live; returns the totals, in order. */
  add(hits: CounterHit[]): Promise<CounterState[]>;
  /** The live counters among `keys` (absent: no attempts in a live window). */
  read(keys: string[]): Promise<Map<string, CounterState>>;
  remove(key: string): Promise<void>;
  /** Counters over `minPoints` whose key starts with `prefix` (for a process that starts). */
  over(prefix: string, minPoints: number): Promise<Map<string, CounterState>>;
}

/** Expired rows are deleted by one in this many `add` calls (bounded table, no timer). */
const SWEEP_EVERY = 200;

type Row = { key: string; points: number; ms_left: string | number };
const stateOf = (row: Row): CounterState => ({
  points: Number(row.points),
  msLeft: Math.max(0, Math.ceil(Number(row.ms_left))),
});
const msLeft = sql`greatest(0, extract(epoch from (expires_at - now())) * 1000)`;

export function databaseCounters(db: Db): SharedCounters {
  let calls = 0;
  return {
    async add(hits) {
      if (hits.length === 0) return [];
      const values = sql.join(
        hits.map(
          (hit) =>
            sql`(${hit.key}, ${hit.points}::int, now() + ${hit.windowMs}::int * interval '1 millisecond')`,
        ),
        sql`, `,
      );
      const rows = rowsOf<Row>(
        await db.execute(sql`
          insert into limiter_counters as c (key, points, expires_at) values ${values}
          on conflict (key) do update set
            points = case when c.expires_at <= now() then excluded.points else c.points + excluded.points end,
            expires_at = case when c.expires_at <= now() then excluded.expires_at else c.expires_at end
          returning key, points, ${msLeft} as ms_left`),
      );
      if (++calls % SWEEP_EVERY === 0)
        await db.execute(sql`delete from limiter_counters where expires_at < now()`);
      const byKey = new Map(rows.map((row) => [row.key, stateOf(row)]));
      return hits.map((hit) => byKey.get(hit.key)!);
    },
    async read(keys) {
      if (keys.length === 0) return new Map();
      const rows = rowsOf<Row>(
        await db.execute(sql`
          select key, points, ${msLeft} as ms_left from limiter_counters
          where key in (${sql.join(
            keys.map((key) => sql`${key}`),
            sql`, `,
          )}) and expires_at > now()`),
      );
      return new Map(rows.map((row) => [row.key, stateOf(row)]));
    },
    async remove(key) {
      await db.execute(sql`delete from limiter_counters where key = ${key}`);
    },
    async over(prefix, minPoints) {
      const rows = rowsOf<Row>(
        await db.execute(sql`
          select key, points, ${msLeft} as ms_left from limiter_counters
          where starts_with(key, ${prefix}) and points > ${minPoints}::int and expires_at > now()`),
      );
      return new Map(rows.map((row) => [row.key, stateOf(row)]));
    },
  };
}

/** The process's counters, on its database (opened on first use). */
export async function sharedCounters(): Promise<SharedCounters> {
  return databaseCounters((await getDatabase()).db);
}
