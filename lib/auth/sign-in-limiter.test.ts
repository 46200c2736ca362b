import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { openTestDatabase } from "@/tests/helpers/database";
import {
  isSignInBlocked,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  SIGN_IN_LIMITS,
} from "./sign-in-limiter";

/** Each case uses its own emails and addresses; the counts live in the (test) database. */
let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
});
afterAll(async () => {
  await database?.close();
});

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

  it("an IPv6 client is one place per /64: 100 of its addresses cannot lock the owner out", async () => {
    // Item 12 of issue 27: the per-email ceiling must not be reachable from one /64.
    // As lib/auth.ts does: a blocked attempt is refused before the password is checked,
    // and is not counted.
    for (let i = 0; i < 100; i++) {
      const address = `2001:db8:aa:bb::${(i + 1).toString(16)}`;
      if (!(await isSignInBlocked("owner6@example.com", address)))
        await recordFailedSignIn("owner6@example.com", address);
    }
    expect(await isSignInBlocked("owner6@example.com", "2001:db8:cc:dd::1")).toBe(false);
    expect(await isSignInBlocked("owner6@example.com", "198.51.100.60")).toBe(false);
    // The /64 is stopped for that account, from any address in it.
    expect(await isSignInBlocked("owner6@example.com", "2001:db8:aa:bb::ffff")).toBe(true);
  });
});
