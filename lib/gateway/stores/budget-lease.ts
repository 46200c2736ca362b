import type { Db } from "@/db/client";
import type { BudgetStore, ReserveResult } from "./budget";
import { randomUUID } from "node:crypto";
import {
  leaseBudget,
  renewLeases,
  settleLeases,
  type LeaseHolder,
  type LeaseSettlement,
  type SettledKey,
} from "./budget-lease-sql";
import { settleWaiters } from "./settle-waiters";

/**
 * A spending limit without a database round trip per request (the hot path allows none). Each process
 * leases a slice of a key's remaining budget from the database in one atomic statement
 * (it is added to `api_keys.reserved`, so other processes cannot grant it too), serves
 * reservations from it in memory, and settles in memory. On a timer it writes what was
 * spent (moved from `reserved` to `spend`) for all keys in one statement, and gives back
 * the unused lease of keys that went quiet. A key change (revoked, limit edited) gives its
 * lease back at once; shutdown and flush() give back everything.
 *
 * Invariant, per process and key: inUse + spent ≤ held, where `held` is what this process
 * has added to `reserved` and not yet taken back out. So `spend + reserved ≤ limit` in the
 * database bounds what all processes together can ever spend. What each process holds is
 * also a row of `budget_leases` with an expiry that its timer renews: a process that dies
 * (kill -9) stops renewing, and once its lease expires the next process to lease budget
 * for the key gives it back, so a crash withholds budget for at most the lease's lifetime.
 * A process that has not renewed for half that lifetime (its database unreachable, its
 * event loop stalled) renews before it serves from its lease again, so that it never
 * spends a lease another process may already have given back.
 */
export interface LeasedBudgetStore extends BudgetStore {
  /** Writes settled spend and gives back every unused lease. */
  flush(): Promise<void>;
  /** Writes the spend settled here for these keys now (durable usage commits), keeping leases. */
  writeSpent(keyIds: string[]): Promise<void>;
  /** The key changed: give back its unused lease now, and lease afresh on next use. `*`: all keys. */
  drop(keyId: string): void;
  close(): Promise<void>;
  /** The key's budget period and its spend as this process knows them (for the key cache's status). */
  periodOf(keyId: string): { start: Date | null; spend: bigint } | null;
}

export interface LeaseOptions {
  /**
   * A lease asks for this many times the request's maximum cost at least; more when the
   * key is busier: about one interval's worth of its requests in this process, so that a
   * busy key costs about one lease statement per interval, and a process holds (and on a
   * crash would withhold) about one interval of a key's spend.
   */
  minRequestsPerLease?: number;
  intervalMs?: number;
  /** A lease not renewed for this long is given back by the next process that leases (default 30 s). */
  leaseTtlMs?: number;
  onError?: (error: unknown) => void;
  /** Judges budget-period boundaries (injectable in tests); lease bookkeeping keeps real time. */
  clock?: () => number;
  /** After spend is written: the key's row as it now stands (alerts hang off this). */
  onSettled?: (keyId: string, row: SettledKey) => void;
}

interface KeyLease {
  held: bigint;
  inUse: bigint;
  /** Settled here, not yet written, by requests that started in `spentPeriod`. */
  spent: bigint;
  /** Settled here by requests that started in an earlier period: lifetime spend only. */
  spentOld: bigint;
  /**
   * Of spent + spentOld, what no lease covered: a request that cost more than it reserved
   * when this process's free lease could not absorb it. Written to spend, but never taken
   * out of `reserved`, which holds other processes' leases too.
   */
  beyond: bigint;
  /** The period start (ms) `spent` belongs to; undefined until the first settle. */
  spentPeriod: number | null | undefined;
  /** The key's period and its spend, from the last statement plus what was settled here since. */
  period: { start: Date | null; spend: bigint } | null;
  /** Spend as last read plus what was settled here since: for the key cache's status. */
  spendKnown: bigint;
  /** What other processes hold in `reserved`, as last seen: worth waiting for. */
  othersHeld: bigint;
  /** The last lease came back short: the key is near its limit, do not prefetch. */
  short: boolean;
  usedSinceTick: boolean;
  lastWanted: bigint;
  /** Reservations since the last tick, and in the last full interval: the lease size. */
  requestsSinceTick: number;
  requestsPerInterval: number;
  /** Bumped by drop(): a lease granted before the change is given back, not used. */
  generation: number;
  acquiring: Promise<void> | null;
}

const MAX_ROUNDS = 8;

export function leasedBudgetStore(db: Db, options: LeaseOptions = {}): LeasedBudgetStore {
  const minPerLease = options.minRequestsPerLease ?? 64;
  const perLease = (s: KeyLease) =>
    BigInt(Math.min(Math.max(minPerLease, s.requestsPerInterval), 1_000_000));
  const leases = new Map<string, KeyLease>();
  const waiters = settleWaiters();
  const onError = options.onError ?? (() => undefined);
  const holder: LeaseHolder = { id: randomUUID(), ttlMs: options.leaseTtlMs ?? 30_000 };
  /** When the database last confirmed this process's leases (renewed, settled or granted). */
  let confirmedAt = Date.now();
  /** This process's lease of a key was given back by another process: it holds none of it now. */
  const lost = (keyId: string) => {
    const s = leases.get(keyId);
    if (s) s.held = 0n;
  };

  const stateFor = (keyId: string): KeyLease => {
    let s = leases.get(keyId);
    if (!s) {
      s = {
        held: 0n,
        inUse: 0n,
        spent: 0n,
        spentOld: 0n,
        beyond: 0n,
        spentPeriod: undefined,
        period: null,
        spendKnown: 0n,
        othersHeld: 0n,
        short: false,
        usedSinceTick: false,
        lastWanted: 0n,
        requestsSinceTick: 0,
        requestsPerInterval: 0,
        generation: 0,
        acquiring: null,
      };
      leases.set(keyId, s);
    }
    return s;
  };
  const free = (s: KeyLease) => s.held - s.inUse - s.spent - s.spentOld;
  const clock = options.clock ?? Date.now;
  const knowPeriod = (s: KeyLease, start: Date | null, spend: bigint) => {
    const local = s.spentPeriod === (start?.getTime() ?? null) ? s.spent : 0n;
    s.period = { start, spend: spend + local };
  };

  const acquire = (keyId: string, s: KeyLease, need: bigint, wanted: bigint): Promise<void> => {
    const generation = s.generation;
    const ask = need + wanted * perLease(s);
    const startedAt = Date.now();
    const work = leaseBudget(db, keyId, need, ask, holder, new Date(clock()))
      .then((grant) => {
        if (!grant) {
          s.short = true;
          s.othersHeld = 0n;
          return;
        }
        // Less in the row than this process counts: the old lease expired and was given back.
        if (grant.held < s.held + grant.amount) s.held = 0n;
        s.held += grant.amount;
        s.short = grant.amount < ask;
        confirmedAt = Math.max(confirmedAt, startedAt);
        s.spendKnown = grant.spend + s.spent + s.spentOld;
        knowPeriod(s, grant.periodStart, grant.periodSpend);
        s.othersHeld = grant.reserved > s.held ? grant.reserved - s.held : 0n;
        // Leased before the key changed: it may no longer be ours to spend.
        if (generation !== s.generation) void writeBack([keyId]);
      })
      .finally(() => {
        if (s.acquiring === work) s.acquiring = null;
      });
    s.acquiring = work;
    return work;
  };

  const take = (keyId: string, s: KeyLease, amount: bigint): ReserveResult => {
    s.inUse += amount;
    // Lease the next slice before this one runs out, so that requests rarely wait for it.
    if (!s.acquiring && !s.short && free(s) < (s.lastWanted * perLease(s)) / 2n) {
      acquire(keyId, s, 0n, s.lastWanted).catch(onError);
    }
    return { granted: amount, heldByOthers: s.inUse - amount + s.othersHeld };
  };

  /**
   * Writes spent amounts and gives back unused leases, for the given keys (all when
   * `keys` is omitted, giving back everything). Local numbers change before the statement
   * and are restored if it fails, so no request can use budget that is on its way back.
   */
  const writeBack = async (keys?: string[], returnAll = true): Promise<void> => {
    const items: LeaseSettlement[] = [];
    const taken = new Map<string, LeaseSettlement>();
    for (const keyId of keys ?? [...leases.keys()]) {
      const s = leases.get(keyId);
      if (!s) continue;
      const returned = returnAll || !s.usedSinceTick ? free(s) : 0n;
      if (s.spent === 0n && s.spentOld === 0n && returned <= 0n) continue;
      const periodStart =
        s.spentPeriod === undefined || s.spentPeriod === null ? null : new Date(s.spentPeriod);
      const item = {
        keyId,
        spent: s.spent + s.spentOld,
        periodSpent: s.spent,
        periodStart,
        returned: returned > 0n ? returned : 0n,
        beyond: s.beyond,
      };
      s.held -= item.spent + item.returned;
      s.spent = 0n;
      s.spentOld = 0n;
      s.beyond = 0n;
      items.push(item);
      taken.set(keyId, item);
    }
    let written: Awaited<ReturnType<typeof settleLeases>>;
    const startedAt = Date.now();
    try {
      written = await settleLeases(db, items, holder, new Date(clock()));
    } catch (error) {
      for (const item of items) {
        const s = stateFor(item.keyId);
        s.held += item.spent + item.returned;
        s.spent += item.periodSpent;
        s.spentOld += item.spent - item.periodSpent;
        s.beyond += item.beyond ?? 0n;
      }
      throw error;
    }
    if (items.length > 0) confirmedAt = Math.max(confirmedAt, startedAt);
    for (const [keyId, row] of written) {
      if (row.lost) lost(keyId);
      const s = leases.get(keyId);
      if (!s) continue;
      s.spendKnown = row.spend + s.spent + s.spentOld;
      s.othersHeld = row.reserved > s.held ? row.reserved - s.held : 0n;
      s.short = false;
      knowPeriod(s, row.periodStart, row.periodSpend);
    }
    if (options.onSettled) {
      for (const item of items) {
        const row = written.get(item.keyId);
        if (row && item.spent > 0n) options.onSettled(item.keyId, row);
      }
    }
  };

  /** Renews every lease this process holds; a lease found gone was given back by another process. */
  const renew = async () => {
    const startedAt = Date.now();
    const holding = [...leases].filter(([, s]) => s.held > 0n).map(([keyId]) => keyId);
    const alive = holding.length > 0 ? await renewLeases(db, holder) : new Set<string>();
    for (const keyId of holding) if (!alive.has(keyId)) lost(keyId);
    confirmedAt = Math.max(confirmedAt, startedAt);
  };

  const tick = async () => {
    const quiet = [...leases].filter(([, s]) => !s.usedSinceTick).map(([keyId]) => keyId);
    await renew();
    await writeBack([...leases.keys()], false);
    for (const s of leases.values()) {
      s.usedSinceTick = false;
      s.requestsPerInterval = s.requestsSinceTick;
      s.requestsSinceTick = 0;
    }
    for (const keyId of quiet) {
      const s = leases.get(keyId);
      if (
        s &&
        s.held === 0n &&
        s.inUse === 0n &&
        s.spent === 0n &&
        s.spentOld === 0n &&
        !s.acquiring
      )
        leases.delete(keyId);
    }
  };
  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(tick).catch(onError);
  }, options.intervalMs ?? 1000);
  timer.unref();

  /** The lease does not cover `wanted`: lease more (or wait for the lease on its way). */
  const reserveLeasing = async (
    keyId: string,
    s: KeyLease,
    wanted: bigint,
    minimum: bigint,
  ): Promise<ReserveResult> => {
    let asked = false;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (free(s) >= wanted) return take(keyId, s, wanted);
      if (s.acquiring) {
        await s.acquiring;
        continue;
      }
      if (asked) break;
      asked = true;
      await acquire(keyId, s, wanted - free(s), wanted);
    }
    const left = free(s);
    // Less than asked, but enough for the smallest useful answer: the caller lowers max_tokens.
    if (left > 0n && left >= minimum) return take(keyId, s, left);
    return { granted: 0n, heldByOthers: s.inUse + s.othersHeld };
  };

  const drainAll = async () => {
    await ticking;
    await Promise.allSettled([...leases.values()].map((s) => s.acquiring));
    await writeBack();
  };

  return {
    reserve(keyId, wanted, minimum) {
      const s = stateFor(keyId);
      s.usedSinceTick = true;
      s.requestsSinceTick++;
      s.lastWanted = wanted;
      if (Date.now() - confirmedAt > holder.ttlMs / 2)
        return renew().then(() => reserveLeasing(keyId, s, wanted, minimum));
      if (free(s) >= wanted) return take(keyId, s, wanted);
      return reserveLeasing(keyId, s, wanted, minimum);
    },

    settle(keyId, reserved, cost, periodStart) {
      const s = stateFor(keyId);
      s.inUse -= reserved;
      // Charged to the period the request started in: a later one replaces the bucket, an
      // earlier one (in flight across the boundary) counts for the lifetime only.
      const started = periodStart === undefined ? (s.spentPeriod ?? null) : periodStart;
      if (s.spentPeriod === undefined || s.spentPeriod === started) {
        s.spentPeriod = started;
        s.spent += cost;
      } else if (started !== null && (s.spentPeriod === null || started > s.spentPeriod)) {
        s.spentOld += s.spent;
        s.spent = cost;
        s.spentPeriod = started;
      } else {
        s.spentOld += cost;
      }
      if (s.period && (s.period.start?.getTime() ?? null) === started) s.period.spend += cost;
      else if (started !== null && (s.period?.start?.getTime() ?? 0) < started)
        s.period = { start: new Date(started), spend: cost };
      s.spendKnown += cost;
      // Cost past the reservation comes out of this process's free lease first; what that
      // cannot cover was never leased: count it as held (so the invariant stays) and as
      // `beyond` (so the write-back adds it to spend without taking it out of `reserved`).
      const uncovered = -free(s);
      if (uncovered > 0n) {
        s.held += uncovered;
        s.beyond += uncovered;
      }
      waiters.wake(keyId);
      return s.spendKnown;
    },

    waitForSettle: (keyId, ms) => waiters.wait(keyId, ms),

    periodOf: (keyId) => leases.get(keyId)?.period ?? null,

    flush: drainAll,

    writeSpent: (keyIds) => writeBack(keyIds, false),

    drop(keyId) {
      const targets = keyId === "*" ? [...leases.keys()] : leases.has(keyId) ? [keyId] : [];
      for (const id of targets) {
        const s = leases.get(id)!;
        s.generation++;
        s.short = false;
      }
      if (targets.length > 0) writeBack(targets).catch(onError);
    },

    async close() {
      clearInterval(timer);
      await drainAll();
    },
  };
}
