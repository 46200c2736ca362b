import type { ClientSignal } from "../client-signal";

/**
 * Fair shares of one upstream pool's connections (PRODUCT.md "Tenants cannot hurt each
 * other": fair shares). Each request holds one connection from its start to the end of its
 * answer, so the pool's connections are counted here as requests in flight, before undici
 * sees them: undici's own queue is FIFO and unbounded in time, and 260 long streams from
 * one key used to fill a 256-connection pool and leave another tenant's 1-token request
 * waiting 56 s behind them.
 *
 * Rules, per pool (one per upstream origin and connect timeout, in this process):
 * - one key, and all the keys of one owner (a user or a team) together, hold at most
 *   `share` of the pool's connections; a request past that waits;
 * - a free connection goes to the waiting request whose owner holds the fewest (then whose
 *   key holds the fewest, then the oldest), so a victim is never queued behind a flood;
 * - a request that waits longer than its timeout (the deployment's connect timeout) gets
 *   a `ConnectionShareTimeout`, which the attempt loop treats as "try another deployment"
 *   without blaming the deployment's breaker: the congestion is ours, not the upstream's.
 * A request without a holder (a connection test) counts against the pool but no share.
 */
export interface ShareHolder {
  keyId: string;
  /** `team:<id>` or `user:<id>`: whose keys share one cap. */
  ownerId: string;
}

export type ReleaseShare = () => void;

export const CONNECTION_SHARE_TIMEOUT = "MB_CONNECTION_SHARE_TIMEOUT";

export class ConnectionShareTimeout extends Error {
  readonly code = CONNECTION_SHARE_TIMEOUT;
  constructor(
    /** Why it waited: its own key's or owner's share was full, or the whole pool was. */
    readonly reason: "share" | "pool",
    readonly waitedMs: number,
    readonly capacity: number,
    readonly perHolder: number,
  ) {
    super(`waited ${waitedMs} ms for an upstream connection (${reason} full)`);
    this.name = "ConnectionShareTimeout";
  }
}

interface Waiter {
  holder: ShareHolder | null;
  since: number;
  grant: (release: ReleaseShare) => void;
  fail: (error: Error) => void;
}

/** At most `share` of `capacity`, and never less than one connection. */
export function perHolderCap(capacity: number, share: number): number {
  return Math.max(1, Math.floor(capacity * share));
}

export class ConnectionShare {
  readonly perHolder: number;
  private inFlight = 0;
  private readonly byKey = new Map<string, number>();
  private readonly byOwner = new Map<string, number>();
  /** Waiting requests per key (FIFO each), so a flood of one key is one entry to skip. */
  private readonly waiting = new Map<string, Waiter[]>();
  private waiters = 0;

  constructor(
    readonly capacity: number,
    share: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.perHolder = perHolderCap(capacity, share);
  }

  /** Connections in flight: the whole pool's, or one key's or owner's (for tests and metrics). */
  held(of?: { keyId?: string; ownerId?: string }): number {
    if (of?.keyId) return this.byKey.get(of.keyId) ?? 0;
    if (of?.ownerId) return this.byOwner.get(of.ownerId) ?? 0;
    return this.inFlight;
  }

  queued(): number {
    return this.waiters;
  }

  /**
   * A connection for this holder: at once (the common path: no promise, no timer) or, when
   * the pool or the holder's share is full, once one frees up within `timeoutMs`.
   */
  acquire(
    holder: ShareHolder | null,
    timeoutMs: number,
    signal: ClientSignal | null,
  ): ReleaseShare | Promise<ReleaseShare> {
    if (this.waiters === 0 && this.fits(holder)) return this.take(holder);
    return new Promise<ReleaseShare>((resolve, reject) => {
      const since = this.clock();
      const queueKey = holder?.keyId ?? "";
      let timer: ReturnType<typeof setTimeout> | null = null;
      const leave = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const queue = this.waiting.get(queueKey);
        const at = queue?.indexOf(waiter) ?? -1;
        if (at < 0) return false;
        queue!.splice(at, 1);
        if (queue!.length === 0) this.waiting.delete(queueKey);
        this.waiters--;
        return true;
      };
      const onAbort = () => {
        if (leave()) reject(abortError());
      };
      const waiter: Waiter = {
        holder,
        since,
        grant: (release) => {
          leave();
          resolve(release);
        },
        fail: reject,
      };
      timer = setTimeout(() => {
        if (!leave()) return;
        const reason = this.inFlight < this.capacity ? "share" : "pool";
        reject(
          new ConnectionShareTimeout(reason, this.clock() - since, this.capacity, this.perHolder),
        );
      }, timeoutMs);
      timer.unref?.();
      signal?.addEventListener("abort", onAbort);
      const queue = this.waiting.get(queueKey);
      if (queue) queue.push(waiter);
      else this.waiting.set(queueKey, [waiter]);
      this.waiters++;
      // A waiter behind others may still fit now (another key's flood is what waits).
      this.grantWaiting();
    });
  }

  private fits(holder: ShareHolder | null): boolean {
    if (this.inFlight >= this.capacity) return false;
    if (!holder) return true;
    return (
      (this.byKey.get(holder.keyId) ?? 0) < this.perHolder &&
      (this.byOwner.get(holder.ownerId) ?? 0) < this.perHolder
    );
  }

  private take(holder: ShareHolder | null): ReleaseShare {
    this.inFlight++;
    if (holder) {
      bump(this.byKey, holder.keyId, 1);
      bump(this.byOwner, holder.ownerId, 1);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (holder) {
        bump(this.byKey, holder.keyId, -1);
        bump(this.byOwner, holder.ownerId, -1);
      }
      if (this.waiters > 0) this.grantWaiting();
    };
  }

  /** Free connections go to the fitting waiter of the owner that holds the fewest. */
  private grantWaiting(): void {
    while (this.waiters > 0 && this.inFlight < this.capacity) {
      let best: Waiter | null = null;
      let bestRank: [number, number, number] | null = null;
      for (const queue of this.waiting.values()) {
        const head = queue[0];
        if (!this.fits(head.holder)) continue;
        const rank: [number, number, number] = head.holder
          ? [
              this.byOwner.get(head.holder.ownerId) ?? 0,
              this.byKey.get(head.holder.keyId) ?? 0,
              head.since,
            ]
          : [0, 0, head.since];
        if (!bestRank || lexLess(rank, bestRank)) {
          best = head;
          bestRank = rank;
        }
      }
      if (!best) return;
      best.grant(this.take(best.holder));
    }
  }
}

function bump(counts: Map<string, number>, id: string, by: number): void {
  const next = (counts.get(id) ?? 0) + by;
  if (next <= 0) counts.delete(id);
  else counts.set(id, next);
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

function abortError(): Error {
  return Object.assign(new Error("The request was aborted."), {
    name: "AbortError",
    code: "UND_ERR_ABORTED",
  });
}

/** The request's key and its owner (the team for a team key), or null without a key. */
export function shareHolderOf(
  key: { id: string; createdBy: string; teamId: string | null } | null,
): ShareHolder | null {
  if (!key) return null;
  return { keyId: key.id, ownerId: key.teamId ? `team:${key.teamId}` : `user:${key.createdBy}` };
}
