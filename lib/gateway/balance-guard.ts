import type { Db } from "@/db/client";
import { balanceOf, type Balance, type Owner } from "@/lib/billing/balance";
import type { MaybePromise } from "./maybe-async";

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
  /** Reloads these owners' balances (after charging them), off the request path. */
  refresh(owners: Owner[]): Promise<void>;
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
    async refresh(owners) {
      await Promise.all(owners.map((owner) => reload(ownerKey(owner), owner)));
    },
    evict(owner) {
      generation++;
      if (owner === "*") cache.clear();
      else cache.delete(ownerKey(owner));
    },
  };
}
