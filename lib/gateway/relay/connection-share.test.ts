import { describe, expect, it } from "vitest";
import { ClientGone } from "../client-signal";
import {
  ConnectionShare,
  ConnectionShareTimeout,
  perHolderCap,
  type ReleaseShare,
} from "./connection-share";
import { classifyOutcome } from "../pipeline/attempts/classify-outcome";

const noisy = { keyId: "k-noisy", ownerId: "user:noisy" };
const noisy2 = { keyId: "k-noisy-2", ownerId: "user:noisy" };
const other = { keyId: "k-other", ownerId: "team:other" };
const victim = { keyId: "k-victim", ownerId: "user:victim" };

const FOREVER = 60_000;
const now = (share: ConnectionShare, holder: typeof noisy) => {
  const got = share.acquire(holder, FOREVER, null);
  if (typeof got !== "function") throw new Error("expected a connection at once");
  return got;
};

/** Whether a promise has settled, after the queued microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("fair shares of an upstream pool", () => {
  it("a key holds at most its share; every other key still gets a connection at once", () => {
    const share = new ConnectionShare(8, 0.5);
    const held: ReleaseShare[] = [];
    for (let i = 0; i < 4; i++) held.push(now(share, noisy));
    // The fifth of the noisy key waits; a victim's request does not.
    const fifth = share.acquire(noisy, FOREVER, null);
    expect(fifth).toBeInstanceOf(Promise);
    expect(share.held({ keyId: noisy.keyId })).toBe(4);
    void (fifth as Promise<ReleaseShare>).then((release) => release());
    const victimGot = share.acquire(victim, FOREVER, null);
    // Waiters exist, so it goes through the queue, and is granted without any release.
    return (victimGot as Promise<ReleaseShare>).then((release) => {
      expect(share.held({ keyId: victim.keyId })).toBe(1);
      release();
      for (const r of held) r();
    });
  });

  it("the owner's keys together hold at most the share", async () => {
    const share = new ConnectionShare(8, 0.5);
    for (let i = 0; i < 4; i++) now(share, i % 2 ? noisy : noisy2);
    const another = share.acquire(noisy2, FOREVER, null);
    expect(await settled(another as Promise<ReleaseShare>)).toBe(false);
    expect(share.held({ ownerId: "user:noisy" })).toBe(4);
  });

  it("a free connection goes to the owner holding the fewest, not the head of the flood", async () => {
    const share = new ConnectionShare(4, 0.5);
    const noisyHeld = [now(share, noisy), now(share, noisy)];
    now(share, other);
    now(share, other);
    // The pool is full. The noisy key queues a flood, then the victim asks.
    const flood = Array.from({ length: 50 }, () => share.acquire(noisy, FOREVER, null));
    const victimWaits = share.acquire(victim, FOREVER, null) as Promise<ReleaseShare>;
    expect(await settled(victimWaits)).toBe(false);
    // One of the noisy key's streams ends: the victim gets that connection, not the flood.
    noisyHeld[0]();
    expect(await settled(victimWaits)).toBe(true);
    expect(share.held({ keyId: victim.keyId })).toBe(1);
    expect(share.held({ keyId: noisy.keyId })).toBe(1);
    expect(share.queued()).toBe(50);
    // The next free one goes to the flood (the victim asked for one only).
    noisyHeld[1]();
    expect(await settled(flood[0] as Promise<ReleaseShare>)).toBe(true);
    expect(share.queued()).toBe(49);
  });

  it("a request waiting past its timeout gets ConnectionShareTimeout, saying whose share was full", async () => {
    const share = new ConnectionShare(4, 0.5);
    now(share, noisy);
    now(share, noisy);
    const error = await (share.acquire(noisy, 20, null) as Promise<ReleaseShare>).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionShareTimeout);
    expect(error).toMatchObject({ reason: "share", capacity: 4, perHolder: 2 });
    expect(share.queued()).toBe(0);
    now(share, other);
    now(share, other);
    const full = await (share.acquire(victim, 20, null) as Promise<ReleaseShare>).catch(
      (e: unknown) => e,
    );
    expect(full).toMatchObject({ reason: "pool" });
  });

  it("a client that leaves while waiting leaves the queue", async () => {
    const share = new ConnectionShare(2, 0.5);
    now(share, noisy);
    const gone = new ClientGone();
    const waiting = share.acquire(noisy, FOREVER, gone) as Promise<ReleaseShare>;
    expect(share.queued()).toBe(1);
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    expect(share.queued()).toBe(0);
  });

  it("a release counts once, and a request without a key counts against the pool only", () => {
    const share = new ConnectionShare(2, 0.5);
    const release = now(share, noisy);
    release();
    release();
    expect(share.held()).toBe(0);
    const probe = share.acquire(null, FOREVER, null);
    expect(typeof probe).toBe("function");
    expect(share.held()).toBe(1);
  });

  it("the cap is never below one connection", () => {
    expect(perHolderCap(1, 0.5)).toBe(1);
    expect(perHolderCap(256, 0.5)).toBe(128);
    expect(perHolderCap(256, 1)).toBe(256);
  });

  it("the outcome table: a busy pool fails over, never again in the request, breaker untouched", () => {
    expect(classifyOutcome({ kind: "connection-share" })).toEqual({
      outcome: "busy",
      action: "next",
      sameAgain: "never",
      breaker: "none",
    });
  });
});
