/**
 * ── For code that reacts to a key's spend (alerts at 50/80/100 % of the limit…) ─────────
 *
 *   import { onKeySpendSettled } from "@/lib/billing/spend-events";
 *   const off = onKeySpendSettled((event) => { ... });   // returns the unsubscribe
 *
 * Called in the process that wrote the spend, right after its budget lease wrote settled
 * spend of a key with a spending limit to the database (about once per lease interval per
 * busy key, not once per request), with the key's row as it then stands. `periodStart`
 * identifies the budget period (null: the key's life), so "once per period" can be keyed on
 * it. Listeners run synchronously on the gateway's timer: do the work asynchronously and
 * never throw (a throw is caught and dropped).
 */
import { processSingleton } from "@/lib/singleton";

export interface KeySpendSettled {
  keyId: string;
  /** Spend counted against the limit in the current period (micro-units). */
  periodSpend: bigint;
  /** Null: the key has no limit any more. */
  spendingLimit: bigint | null;
  periodStart: Date | null;
  /** Lifetime spend. */
  spend: bigint;
}

type Listener = (event: KeySpendSettled) => void;

const listeners = processSingleton("gateway.spend-listeners", () => new Set<Listener>());

export function onKeySpendSettled(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitKeySpendSettled(event: KeySpendSettled): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure must not stop the gateway's bookkeeping.
    }
  }
}
