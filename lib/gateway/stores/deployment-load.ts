import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "./budget";

/**
 * How busy each deployment is, for the `least_busy` and `lowest_latency` strategies
 * (PRODUCT.md "Routing"). In flight is counted across processes: this process's own count,
 * live, plus what the others last reported in `deployment_load`. Each process reports its
 * counts about once a second, and only while it has traffic, so a request never waits for
 * the database; the others' counts are at most a report old, which is what a hint needs
 * (it chooses among deployments that are all available; it never refuses a request).
 *
 * Time to first token stays this process's own moving average: it measures the deployment,
 * not the process, so every process's recent sample estimates the same thing.
 */
export interface DeploymentLoad {
  started(id: string): void;
  ended(id: string, ttfbMs: number | null): void;
  /** Requests in flight on the deployment, every process's. */
  inFlight(id: string): number;
  /** Recent time to first token (moving average), undefined before the first answer. */
  latency(id: string): number | undefined;
  /** Report now and read the others' (tests; shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A report older than this is a process that stopped (crashed, or idle and gone). */
const STALE_MS = 5_000;

/** In memory only: one process (tests, and the defaults before a database is wired). */
export function localDeploymentLoad(): DeploymentLoad {
  const inFlight = new Map<string, number>();
  const latency = new Map<string, number>();
  return {
    started: (id) => void inFlight.set(id, (inFlight.get(id) ?? 0) + 1),
    ended(id, ttfbMs) {
      inFlight.set(id, Math.max(0, (inFlight.get(id) ?? 1) - 1));
      if (ttfbMs !== null) latency.set(id, 0.8 * (latency.get(id) ?? ttfbMs) + 0.2 * ttfbMs);
    },
    inFlight: (id) => inFlight.get(id) ?? 0,
    latency: (id) => latency.get(id),
    flush: async () => {},
    close: async () => {},
  };
}

export function databaseDeploymentLoad(
  db: Db,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): DeploymentLoad {
  const holder = randomUUID();
  const local = localDeploymentLoad();
  const mine = new Map<string, number>();
  /** What this process last wrote per deployment (a zero is written once, then the row goes). */
  const reported = new Map<string, number>();
  let others = new Map<string, number>();
  let othersSeenAt = 0;
  let touched = false;

  const report = async () => {
    const writes: [string, number][] = [];
    for (const [id, count] of mine) if (reported.get(id) !== count) writes.push([id, count]);
    for (const [id, count] of writes) {
      if (count === 0) {
        await db.execute(
          sql`delete from deployment_load where holder = ${holder} and deployment_id = ${id}`,
        );
        reported.delete(id);
        mine.delete(id);
      } else {
        await db.execute(sql`
          insert into deployment_load (holder, deployment_id, in_flight, reported_at)
          values (${holder}, ${id}, ${count}, now())
          on conflict (holder, deployment_id) do update set in_flight = excluded.in_flight, reported_at = now()`);
        reported.set(id, count);
      }
    }
    // Rows still in flight are renewed, so that they are not taken for a dead process's.
    if (writes.length === 0 && mine.size > 0)
      await db.execute(
        sql`update deployment_load set reported_at = now() where holder = ${holder}`,
      );
  };

  const read = async () => {
    const rows = rowsOf<{ deployment_id: string; in_flight: number }>(
      await db.execute(sql`
        select deployment_id, sum(in_flight)::int as in_flight from deployment_load
        where holder <> ${holder} and reported_at > now() - ${STALE_MS} * interval '1 millisecond'
        group by deployment_id`),
    );
    others = new Map(rows.map((row) => [row.deployment_id, row.in_flight]));
    othersSeenAt = Date.now();
  };

  const tick = async () => {
    // Idle with nothing known of others: no round trip at all.
    if (!touched && mine.size === 0 && others.size === 0) return;
    touched = false;
    await report();
    await read();
  };
  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(tick).catch(options.onError ?? (() => undefined));
  }, options.intervalMs ?? 1_000);
  timer.unref();

  return {
    started(id) {
      local.started(id);
      mine.set(id, (mine.get(id) ?? 0) + 1);
      touched = true;
    },
    ended(id, ttfbMs) {
      local.ended(id, ttfbMs);
      mine.set(id, Math.max(0, (mine.get(id) ?? 1) - 1));
      touched = true;
    },
    inFlight(id) {
      const fresh = Date.now() - othersSeenAt < STALE_MS;
      return local.inFlight(id) + (fresh ? (others.get(id) ?? 0) : 0);
    },
    latency: (id) => local.latency(id),
    async flush() {
      await ticking;
      touched = true;
      await tick();
    },
    async close() {
      clearInterval(timer);
      await ticking.catch(() => undefined);
      for (const id of mine.keys()) mine.set(id, 0);
      await report().catch(options.onError ?? (() => undefined));
    },
  };
}
