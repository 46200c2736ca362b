import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { allowSignUpAttempt } from "./sign-up-limiter";

describe("sign-up attempts per address", () => {
  it("past the hourly budget an address is refused; other addresses are not", async () => {
    const budget = env().SIGNUP_ATTEMPTS_PER_HOUR;
    for (let i = 0; i < budget; i++) expect(await allowSignUpAttempt("203.0.113.50")).toBe(true);
    expect(await allowSignUpAttempt("203.0.113.50")).toBe(false);
    expect(await allowSignUpAttempt("203.0.113.51")).toBe(true);
  });
});
