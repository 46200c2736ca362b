import { env } from "@/lib/env";
import { addressBucket } from "@/lib/limits/address-bucket";
import { sharedCounters } from "@/lib/limits/shared-counters";

/**
 * Sign-up attempts per client address (IPv4, or IPv6 /64) and hour: bounds accounts created
 * in bulk under open sign-up and probing which emails have an account ("already exists").
 * Counted in the database, so every process behind a load balancer shares one budget.
 */
const WINDOW_MS = 60 * 60 * 1000;

/** Counts this attempt; false when the address has used up its attempts for the hour. */
export async function allowSignUpAttempt(ip: string): Promise<boolean> {
  const [state] = await (
    await sharedCounters()
  ).add([{ key: `signup-ip:${addressBucket(ip)}`, points: 1, windowMs: WINDOW_MS }]);
  return state.points <= env().SIGNUP_ATTEMPTS_PER_HOUR;
}
