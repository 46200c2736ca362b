import { RateLimiterMemory } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { processSingleton } from "@/lib/singleton";

/**
 * Sign-up attempts per client address and hour: bounds accounts created in bulk under open
 * sign-up and probing which emails have an account ("already exists").
 */
const limiter = () =>
  processSingleton(
    "sign-up-limiter",
    () =>
      new RateLimiterMemory({
        keyPrefix: "signup-ip",
        points: env().SIGNUP_ATTEMPTS_PER_HOUR,
        duration: 60 * 60,
      }),
  );

/** Counts this attempt; false when the address has used up its attempts for the hour. */
export async function allowSignUpAttempt(ip: string): Promise<boolean> {
  try {
    await limiter().consume(ip, 1);
    return true;
  } catch {
    return false;
  }
}
