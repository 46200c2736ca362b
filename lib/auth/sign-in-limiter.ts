import { RateLimiterMemory } from "rate-limiter-flexible";
import { processSingleton } from "@/lib/singleton";

/**
 * Failed sign-ins are counted per email and per client address; past the budget, sign-in
 * is refused for the window even with the right password, which stops online guessing.
 */
const WINDOW_SECONDS = 15 * 60;
const limiters = () =>
  processSingleton("sign-in-limiters", () => ({
    byEmail: new RateLimiterMemory({ keyPrefix: "signin-email", points: 5, duration: WINDOW_SECONDS }),
    byIp: new RateLimiterMemory({ keyPrefix: "signin-ip", points: 30, duration: WINDOW_SECONDS }),
  }));

export async function isSignInBlocked(email: string, ip: string): Promise<boolean> {
  const { byEmail, byIp } = limiters();
  const [emailState, ipState] = await Promise.all([byEmail.get(email), byIp.get(ip)]);
  return (emailState?.remainingPoints ?? 1) <= 0 || (ipState?.remainingPoints ?? 1) <= 0;
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const { byEmail, byIp } = limiters();
  await Promise.all([byEmail.penalty(email, 1), byIp.penalty(ip, 1)]);
}

export async function recordSuccessfulSignIn(email: string): Promise<void> {
  await limiters().byEmail.delete(email);
}
