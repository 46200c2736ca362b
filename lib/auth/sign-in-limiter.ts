import { addressBucket } from "@/lib/limits/address-bucket";
import { sharedCounters } from "@/lib/limits/shared-counters";

/**
 * Failed sign-ins are counted three ways, so that guessing is slowed without letting a
 * stranger lock someone out:
 * - per (email, address): a few failures stop guessing at one account from one place; the
 *   owner signing in from anywhere else is not affected;
 * - per address: one place guessing across many accounts;
 * - per email, a ceiling high enough that only guessing from many addresses (password
 *   spraying, a botnet) reaches it: then that account is closed to password sign-in for
 *   the window, which is the lesser harm.
 * A success clears the (email, address) count only: it says nothing about other places.
 * "Address" is an IPv4 address or an IPv6 /64 (address-bucket.ts): a client choosing
 * addresses within its /64 is one place, so it cannot reach the per-email ceiling alone.
 * The counts live in the database (shared-counters.ts): every process sees the same ones.
 */
const WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_LIMITS = { perEmailAndAddress: 5, perAddress: 30, perEmail: 100 } as const;

const keysFor = (email: string, ip: string) => {
  const place = addressBucket(ip);
  return {
    pair: `signin-pair:${JSON.stringify([email, place])}`,
    ip: `signin-ip:${place}`,
    email: `signin-email:${email}`,
  };
};

export async function isSignInBlocked(email: string, ip: string): Promise<boolean> {
  const keys = keysFor(email, ip);
  const live = await (await sharedCounters()).read([keys.pair, keys.ip, keys.email]);
  return (
    (live.get(keys.pair)?.points ?? 0) >= SIGN_IN_LIMITS.perEmailAndAddress ||
    (live.get(keys.ip)?.points ?? 0) >= SIGN_IN_LIMITS.perAddress ||
    (live.get(keys.email)?.points ?? 0) >= SIGN_IN_LIMITS.perEmail
  );
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const keys = keysFor(email, ip);
  await (
    await sharedCounters()
  ).add([keys.pair, keys.ip, keys.email].map((key) => ({ key, points: 1, windowMs: WINDOW_MS })));
}

export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  await (await sharedCounters()).remove(keysFor(email, ip).pair);
}
