import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import {
  adjustWindow,
  claimSlots,
  claimWindow,
  KEY_WINDOWS,
  pruneWindows,
  renewSlots,
  type WindowTable,
} from "./lease-sql";
import type { RateDecision, RateSubject, RateLimitStore, RateSnapshot, RateTicket } from "./types";
import { msToWindowEnd, WINDOW_MS, windowStart } from "./window";

/**
 * Rate limits on Postgres alone, without a round trip per request: like the budget leases,
 * each process claims a slice of a key's minute (requests and tokens) from the minute's row
 * in one locked statement and admits requests from it in memory, claiming the next slice
 * in the background before this one runs out. What processes together claim never passes
 * the sliding-window limit (window.ts). A slice is about an eighth of the limit, so a busy
 * key costs about eight claims a minute per process, and slices a process stops using go
 * back on its timer. Concurrency slots are leased the same way, with an expiry the timer
 * renews, so a crashed process's slots come back once it stops renewing.
 */
export interface LeaseRateOptions {
  intervalMs?: number;
  slotTtlMs?: number;
  onError?: (error: unknown) => void;
  /** Whose counters: a key's (the default) or a deployment's (no concurrency slots there). */
  windows?: WindowTable;
}

interface KeyState {
  window: number;
  reqHeld: number;
  reqUsed: number;
  tokHeld: number;
  tokUsed: number;
  /** Room the window had after this process's last claim (others may have taken some since). */
  requestsLeft: number;
  tokensLeft: number;
  claiming: Promise<void> | null;
  slotsHeld: number;
  inFlight: number;
  usedSinceTick: boolean;
}

const SLICES_PER_MINUTE = 8;

export function leaseRateLimitStore(db: Db, options: LeaseRateOptions = {}): RateLimitStore {
  const holder = randomUUID();
  const slotTtlMs = options.slotTtlMs ?? 30_000;
  const onError = options.onError ?? (() => undefined);
  const windows = options.windows ?? KEY_WINDOWS;
  const states = new Map<string, KeyState>();
  /** Window corrections not yet written: unused slices given back (negative), tokens beyond estimates. */
  const adjustments: { keyId: string; window: number; requests: number; tokens: number }[] = [];
  let ticks = 0;

  const stateFor = (keyId: string, now: number): KeyState => {
    let s = states.get(keyId);
    if (!s) {
      s = {
        window: windowStart(now),
        reqHeld: 0,
        reqUsed: 0,
        tokHeld: 0,
        tokUsed: 0,
        requestsLeft: Infinity,
        tokensLeft: Infinity,
        claiming: null,
        slotsHeld: 0,
        inFlight: 0,
        usedSinceTick: false,
      };
      states.set(keyId, s);
    }
    const current = windowStart(now);
    if (s.window !== current) {
      giveBack(keyId, s);
      s.window = current;
      s.reqHeld = s.reqUsed = s.tokHeld = s.tokUsed = 0;
      s.requestsLeft = s.tokensLeft = Infinity;
    }
    return s;
  };

  /** Unused slices back to the window (and tokens used beyond what was claimed, added). */
  const giveBack = (keyId: string, s: KeyState) => {
    const requests = s.reqUsed - s.reqHeld;
    const tokens = s.tokUsed - s.tokHeld;
    if (requests !== 0 || tokens !== 0)
      adjustments.push({ keyId, window: s.window, requests, tokens });
    s.reqHeld = s.reqUsed;
    s.tokHeld = s.tokUsed;
  };

  const snapshot = (key: RateSubject, s: KeyState, now: number): RateSnapshot => {
    const limits = key.rateLimits!;
    const freeReq = s.reqHeld - s.reqUsed;
    const freeTok = s.tokHeld - s.tokUsed;
    return {
      limitRequests: limits.requestsPerMinute,
      remainingRequests:
        limits.requestsPerMinute === null
          ? 0
          : Math.min(
              limits.requestsPerMinute,
              freeReq +
                (Number.isFinite(s.requestsLeft) ? s.requestsLeft : limits.requestsPerMinute),
            ),
      limitTokens: limits.tokensPerMinute,
      remainingTokens:
        limits.tokensPerMinute === null
          ? 0
          : Math.min(
              limits.tokensPerMinute,
              freeTok + (Number.isFinite(s.tokensLeft) ? s.tokensLeft : limits.tokensPerMinute),
            ),
      resetMs: msToWindowEnd(now),
    };
  };

  const claim = (
    key: RateSubject,
    s: KeyState,
    needRequests: number,
    needTokens: number,
    now: number,
  ): Promise<void> => {
    const limits = key.rateLimits!;
    const window = s.window;
    const work = claimWindow(
      db,
      {
        keyId: key.id,
        windowStart: window,
        now,
        requestsPerMinute: limits.requestsPerMinute,
        tokensPerMinute: limits.tokensPerMinute,
        needRequests,
        needTokens,
        askRequests:
          limits.requestsPerMinute === null
            ? 0
            : Math.max(1, Math.floor(limits.requestsPerMinute / SLICES_PER_MINUTE)),
        askTokens:
          limits.tokensPerMinute === null
            ? 0
            : Math.max(needTokens, Math.floor(limits.tokensPerMinute / SLICES_PER_MINUTE)),
      },
      windows,
    )
      .then((granted) => {
        if (s.window !== window) {
          // The minute turned while claiming: the slice belongs to a window no longer served.
          adjustments.push({
            keyId: key.id,
            window,
            requests: -granted.requests,
            tokens: -granted.tokens,
          });
          return;
        }
        s.reqHeld += granted.requests;
        s.tokHeld += granted.tokens;
        s.requestsLeft = granted.requestsLeft;
        s.tokensLeft = granted.tokensLeft;
      })
      .finally(() => {
        if (s.claiming === work) s.claiming = null;
      });
    s.claiming = work;
    return work;
  };

  const fits = (key: RateSubject, s: KeyState, tokens: number) => {
    const limits = key.rateLimits!;
    const requestsOk = limits.requestsPerMinute === null || s.reqHeld - s.reqUsed >= 1;
    const tokensOk = limits.tokensPerMinute === null || s.tokHeld - s.tokUsed >= tokens;
    return requestsOk && tokensOk;
  };

  const take = (key: RateSubject, s: KeyState, tokens: number, now: number): RateDecision => {
    const limits = key.rateLimits!;
    s.usedSinceTick = true;
    if (limits.requestsPerMinute !== null) s.reqUsed += 1;
    const charged = limits.tokensPerMinute === null ? 0 : tokens;
    s.tokUsed += charged;
    const slot = limits.maxConcurrent === null ? null : "lease";
    if (slot) s.inFlight++;
    // Claim the next slice before this one runs out, so that requests rarely wait for it.
    const lowRequests =
      limits.requestsPerMinute !== null &&
      s.reqHeld - s.reqUsed < Math.max(1, limits.requestsPerMinute / SLICES_PER_MINUTE / 2);
    const lowTokens =
      limits.tokensPerMinute !== null &&
      s.tokHeld - s.tokUsed < limits.tokensPerMinute / SLICES_PER_MINUTE / 2;
    if (!s.claiming && (lowRequests || lowTokens) && s.requestsLeft > 0 && s.tokensLeft > 0)
      claim(key, s, 0, 0, now).catch(onError);
    const ticket: RateTicket = {
      keyId: key.id,
      tokens: charged,
      countsTokens: limits.tokensPerMinute !== null,
      windowStart: s.window,
      slot,
    };
    return { allowed: true, snapshot: snapshot(key, s, now), ticket };
  };

  const refuse = (
    key: RateSubject,
    s: KeyState,
    reason: "requests" | "tokens" | "concurrency",
    now: number,
  ): RateDecision => ({
    allowed: false,
    reason,
    snapshot: snapshot(key, s, now),
    retryAfterMs: reason === "concurrency" ? 1000 : msToWindowEnd(now),
  });

  const admitSlow = async (
    key: RateSubject,
    s: KeyState,
    tokens: number,
    now: number,
  ): Promise<RateDecision> => {
    const limits = key.rateLimits!;
    if (!fits(key, s, tokens)) {
      if (s.claiming) await s.claiming.catch(() => undefined);
      if (!fits(key, s, tokens)) {
        const needRequests =
          limits.requestsPerMinute === null ? 0 : Math.max(0, 1 - (s.reqHeld - s.reqUsed));
        const needTokens =
          limits.tokensPerMinute === null ? 0 : Math.max(0, tokens - (s.tokHeld - s.tokUsed));
        await claim(key, s, needRequests, needTokens, now);
      }
      if (!fits(key, s, tokens)) {
        const requestsShort = limits.requestsPerMinute !== null && s.reqHeld - s.reqUsed < 1;
        return refuse(key, s, requestsShort ? "requests" : "tokens", now);
      }
    }
    if (limits.maxConcurrent !== null && s.inFlight >= s.slotsHeld) {
      s.slotsHeld += await claimSlots(db, key.id, holder, 1, limits.maxConcurrent, slotTtlMs);
      if (s.inFlight >= s.slotsHeld) return refuse(key, s, "concurrency", now);
    }
    return take(key, s, tokens, now);
  };

  const writeAdjustments = async () => {
    const pending = adjustments.splice(0);
    for (const [i, item] of pending.entries()) {
      try {
        await adjustWindow(db, item.keyId, item.window, item.requests, item.tokens, windows);
      } catch (error) {
        adjustments.push(...pending.slice(i));
        throw error;
      }
    }
  };

  const tick = async () => {
    const now = Date.now();
    const slots = new Map<string, number>();
    for (const [keyId, s] of states) {
      if (!s.usedSinceTick) giveBack(keyId, s);
      else if (s.tokUsed > s.tokHeld) {
        // Real usage beyond the estimates: written, so every process counts it.
        adjustments.push({ keyId, window: s.window, requests: 0, tokens: s.tokUsed - s.tokHeld });
        s.tokHeld = s.tokUsed;
      }
      if (s.slotsHeld > 0) {
        if (!s.usedSinceTick && s.slotsHeld > s.inFlight) s.slotsHeld = s.inFlight;
        slots.set(keyId, s.slotsHeld);
      }
      s.usedSinceTick = false;
      if (
        s.slotsHeld === 0 &&
        s.reqHeld === s.reqUsed &&
        s.tokHeld === s.tokUsed &&
        windowStart(now) > s.window &&
        !s.claiming
      )
        states.delete(keyId);
    }
    await writeAdjustments();
    if (slots.size > 0) await renewSlots(db, holder, slots, slotTtlMs);
    if (++ticks % 60 === 0) await pruneWindows(db, windowStart(now) - 2 * WINDOW_MS, windows);
  };
  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = ticking.then(tick).catch(onError);
  }, options.intervalMs ?? 1000);
  timer.unref();

  const releaseAll = async () => {
    await ticking;
    const slots = new Map<string, number>();
    for (const [keyId, s] of states) {
      giveBack(keyId, s);
      if (s.slotsHeld > 0) {
        s.slotsHeld = s.inFlight;
        slots.set(keyId, s.slotsHeld);
      }
    }
    await writeAdjustments();
    if (slots.size > 0) await renewSlots(db, holder, slots, slotTtlMs);
  };

  return {
    admit(key, tokens, now) {
      const limits = key.rateLimits!;
      const s = stateFor(key.id, now);
      if (limits.tokensPerMinute !== null && tokens > limits.tokensPerMinute)
        return refuse(key, s, "tokens", now);
      const slotFree = limits.maxConcurrent === null || s.inFlight < s.slotsHeld;
      // The usual case: this process's slices and slots cover it, with no promise at all.
      if (slotFree && fits(key, s, tokens)) return take(key, s, tokens, now);
      return admitSlow(key, s, tokens, now);
    },

    settle(ticket, tokens, now) {
      const s = states.get(ticket.keyId);
      if (ticket.slot && s) s.inFlight = Math.max(0, s.inFlight - 1);
      const extra = tokens - ticket.tokens;
      if (!ticket.countsTokens || extra === 0) return;
      if (s && s.window === ticket.windowStart) s.tokUsed = Math.max(0, s.tokUsed + extra);
      else if (extra > 0 && windowStart(now) - ticket.windowStart <= WINDOW_MS)
        adjustments.push({
          keyId: ticket.keyId,
          window: ticket.windowStart,
          requests: 0,
          tokens: extra,
        });
    },

    peek(key, now) {
      return snapshot(key, stateFor(key.id, now), now);
    },

    drop(keyId) {
      const s = states.get(keyId);
      if (!s) return;
      giveBack(keyId, s);
      s.requestsLeft = s.tokensLeft = Infinity;
    },

    flush: releaseAll,

    async close() {
      clearInterval(timer);
      await releaseAll();
    },
  };
}
