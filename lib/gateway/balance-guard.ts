import { LRUCache } from "lru-cache";
import type { Db } from "@/db/client";
import { balanceOf, type Balance, type Owner } from "@/lib/billing/balance";

/**
 * The 402 rule: when an owner's overage is off and included usage and prepaid credit are
 * both used up, `/v1` refuses up front. Balances are cached for a few seconds per owner
 * (this is a per-request check) and dropped whenever a flush charges that owner.
 */
export interface BalanceGuard {
  canSpend(owner: Owner, now: Date): Promise<boolean>;
  evict(owner: Owner | "*"): void;
}

const ownerKey = (owner: Owner) => (owner.kind === "team" ? `t:${owner.teamId}` : `u:${owner.userId}`);

export function databaseBalanceGuard(db: Db, ttlMs = 5_000): BalanceGuard {
  const cache = new LRUCache<string, Promise<Balance>>({ max: 50_000, ttl: ttlMs });
  return {
    async canSpend(owner, now) {
      const id = ownerKey(owner);
      let balance = cache.get(id);
      if (!balance) {
        balance = balanceOf(db, owner, now);
        cache.set(id, balance);
        balance.catch(() => cache.delete(id));
      }
      const { overageEnabled, includedLeft, prepaidLeft } = await balance;
      return overageEnabled || includedLeft + prepaidLeft > 0n;
    },
    evict(owner) {
      if (owner === "*") cache.clear();
      else cache.delete(ownerKey(owner));
    },
  };
}
