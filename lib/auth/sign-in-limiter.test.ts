import { describe, expect, it } from "vitest";
import {
  isSignInBlocked,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  SIGN_IN_LIMITS,
} from "./sign-in-limiter";

/** Each case uses its own emails and addresses: the limiters are per process. */
describe("sign-in limits", () => {
  it("wrong passwords from one address stop that address for that email, not the owner elsewhere", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perEmailAndAddress; i++)
      await recordFailedSignIn("victim@example.com", "203.0.113.7");
    expect(await isSignInBlocked("victim@example.com", "203.0.113.7")).toBe(true);
    // The owner, from their own address, is not locked out by a stranger's guesses.
    expect(await isSignInBlocked("victim@example.com", "198.51.100.20")).toBe(false);
    // The guessing address may still sign in to other accounts, up to its own budget.
    expect(await isSignInBlocked("other@example.com", "203.0.113.7")).toBe(false);
  });

  it("one address guessing across many accounts is stopped", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++)
      await recordFailedSignIn(`spray-${i}@example.com`, "203.0.113.8");
    expect(await isSignInBlocked("fresh@example.com", "203.0.113.8")).toBe(true);
  });

  it("guessing one account from many addresses hits the per-email ceiling", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++)
      await recordFailedSignIn("target@example.com", `10.9.${Math.floor(i / 4)}.${i % 4}`);
    expect(await isSignInBlocked("target@example.com", "192.0.2.99")).toBe(true);
    // A few failures per address never reach the per-address limits on their own.
    expect(await isSignInBlocked("target-2@example.com", "10.9.0.0")).toBe(false);
  });

  it("a success clears that address's count for that email", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perEmailAndAddress - 1; i++)
      await recordFailedSignIn("typo@example.com", "192.0.2.5");
    await recordSuccessfulSignIn("typo@example.com", "192.0.2.5");
    await recordFailedSignIn("typo@example.com", "192.0.2.5");
    expect(await isSignInBlocked("typo@example.com", "192.0.2.5")).toBe(false);
  });
});
