import { RateLimiterMemory } from "rate-limiter-flexible";
import { processSingleton } from "@/lib/singleton";

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
 */
const WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = { perEmailAndAddress: 5, perAddress: 30, perEmail: 100 } as const;

const limiters = () =>
  processSingleton("sign-in-limiters-v2", () => ({
    byPair: new RateLimiterMemory({
      keyPrefix: "signin-pair",
      points: SIGN_IN_LIMITS.perEmailAndAddress,
      duration: WINDOW_SECONDS,
    }),
    byIp: new RateLimiterMemory({
      keyPrefix: "signin-ip",
      points: SIGN_IN_LIMITS.perAddress,
      duration: WINDOW_SECONDS,
    }),
    byEmail: new RateLimiterMemory({
      keyPrefix: "signin-email",
      points: SIGN_IN_LIMITS.perEmail,
      duration: WINDOW_SECONDS,
    }),
  }));

const pairKey = (email: string, ip: string) => JSON.stringify([email, ip]);
const spent = (state: { remainingPoints: number } | null) => (state?.remainingPoints ?? 1) <= 0;

export async function isSignInBlocked(email: string, ip: string): Promise<boolean> {
  const { byPair, byIp, byEmail } = limiters();
  const states = await Promise.all([
    byPair.get(pairKey(email, ip)),
    byIp.get(ip),
    byEmail.get(email),
  ]);
  return states.some(spent);
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const { byPair, byIp, byEmail } = limiters();
  await Promise.all([
    byPair.penalty(pairKey(email, ip), 1),
    byIp.penalty(ip, 1),
    byEmail.penalty(email, 1),
  ]);
}

export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  await limiters().byPair.delete(pairKey(email, ip));
}
