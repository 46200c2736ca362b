import type { Db } from "@/db/client";
import { balanceOf, type Balance, type Owner } from "@/lib/billing/balance";
import type { MaybePromise } from "../maybe-async";

/**
 * The 402 rule: when an owner's overage is off and included usage and prepaid credit are
 * both used up, `/v1` refuses up front. This check is on every request, so a request never
 * waits for a balance query once the owner's balance is known:
 * - after a usage flush charges owners, the flush itself reloads their balances (refresh),
 *   so the hot path finds them fresh — and a flush() that resolved means they are;
 * - a balance older than `ttlMs` is reloaded in the background while the old one serves;
 * - an admin's change (credit, overage) evicts it, and the next request loads it.
 */
export interface BalanceGuard {
  /** A plain answer once the owner's balance is in memory, else a promise of it. */
  canSpend(owner: Owner, now: Date): MaybePromise<boolean>;
  /**
   * For an owner whose overage is off (issue 26, item 3): reserves up to `wanted` of what
   * is left — the balance as last read, less what requests in flight hold and what settled
   * since it was read — if at least `minimum` is; null when the owner has no such cap
   * (overage on). Call after canSpend (the balance is then in memory).
   */
  reserve(owner: Owner, size: () => { wanted: bigint; minimum: bigint }): bigint | null;
  /** The request that reserved `reserved` ended costing `cost`. */
  settle(owner: Owner, reserved: bigint, cost: bigint): void;
  /** Reloads these owners' balances (after charging them `charged`), off the request path. */
  refresh(owners: Owner[], charged?: bigint[]): Promise<void>;
  evict(owner: Owner | "*"): void;
}

interface Entry {
  balance: Promise<Balance>;
  /** The same balance once it has arrived, for an answer without a promise. */
  loaded?: Balance;
  loadedAt: number;
  reloading: boolean;
}

const allowsSpend = ({ overageEnabled, includedLeft, prepaidLeft }: Balance) =>
  overageEnabled || includedLeft + prepaidLeft > 0n;

const ownerKey = (owner: Owner) =>
  owner.kind === "team" ? `t:${owner.teamId}` : `u:${owner.userId}`;
const MAX_ENTRIES = 50_000;

export function databaseBalanceGuard(
  db: Db,
  ttlMs = 5_000,
  clock: () => number = Date.now,
): BalanceGuard {
  const cache = new Map<string, Entry>();
  /**
   * Per owner, in this process: held by requests in flight, and settled but not yet in a
   * balance read after its charge was written. One process's view: each process reserves
   * from the same balance, so N processes can together spend up to N × what is left
   * between two flushes (a lease shared through the database, as key budgets have, is
   * the follow-up).
   */
  const spending = new Map<string, { held: bigint; unflushed: bigint }>();
  const spendingOf = (id: string) => {
    let s = spending.get(id);
    if (!s) {
      s = { held: 0n, unflushed: 0n };
      spending.set(id, s);
    }
    return s;
  };
  /** Bumped by evict: a load that started before an admin's change must not be cached. */
  let generation = 0;

  const load = (id: string, owner: Owner): Promise<Balance> => {
    const started = generation;
    const balance = balanceOf(db, owner, new Date(clock()));
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const entry: Entry = { balance, loadedAt: clock(), reloading: false };
    cache.set(id, entry);
    balance.then(
      (value) => (entry.loaded = value),
      () => undefined,
    );
    balance.catch(() => {
      if (cache.get(id) === entry) cache.delete(id);
    });
    void balance.then(
      () => {
        if (started !== generation && cache.get(id) === entry) cache.delete(id);
      },
      () => undefined,
    );
    return balance;
  };

  /** Replaces the entry only once the new balance is in, so readers never wait for it. */
  const reload = async (id: string, owner: Owner): Promise<void> => {
    const started = generation;
    const current = cache.get(id);
    if (current) current.reloading = true;
    try {
      const balance = await balanceOf(db, owner, new Date(clock()));
      if (started === generation)
        cache.set(id, {
          balance: Promise.resolve(balance),
          loaded: balance,
          loadedAt: clock(),
          reloading: false,
        });
    } catch {
      if (current) current.reloading = false;
    }
  };

  return {
    canSpend(owner) {
      const id = ownerKey(owner);
      const entry = cache.get(id);
      if (!entry) return load(id, owner).then(allowsSpend);
      if (!entry.reloading && clock() - entry.loadedAt > ttlMs) void reload(id, owner);
      return entry.loaded ? allowsSpend(entry.loaded) : entry.balance.then(allowsSpend);
    },
    reserve(owner, size) {
      const id = ownerKey(owner);
      const balance = cache.get(id)?.loaded;
      if (!balance || balance.overageEnabled) return null;
      const { wanted, minimum } = size();
      const s = spendingOf(id);
      const left = balance.includedLeft + balance.prepaidLeft - s.held - s.unflushed;
      if (left < minimum || left <= 0n) return 0n;
      const granted = wanted < left ? wanted : left;
      s.held += granted;
      return granted;
    },
    settle(owner, reserved, cost) {
      const s = spendingOf(ownerKey(owner));
      s.held -= reserved;
      if (s.held < 0n) s.held = 0n;
      s.unflushed += cost;
    },
    async refresh(owners, charged = []) {
      await Promise.all(
        owners.map(async (owner, i) => {
          const id = ownerKey(owner);
          await reload(id, owner);
          // The reloaded balance has the charge in it: it no longer counts as unflushed.
          const s = spending.get(id);
          if (s && charged[i] !== undefined) {
            s.unflushed -= charged[i];
            if (s.unflushed < 0n) s.unflushed = 0n;
            if (s.held === 0n && s.unflushed === 0n) spending.delete(id);
          }
        }),
      );
    },
    evict(owner) {
      generation++;
      if (owner === "*") cache.clear();
      else cache.delete(ownerKey(owner));
    },
  };
}
