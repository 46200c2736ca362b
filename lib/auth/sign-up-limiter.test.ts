import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setProcessDatabase } from "@/db/client";
import { openTestDatabase } from "@/tests/helpers/database";
import { env } from "@/lib/env";
import { allowSignUpAttempt } from "./sign-up-limiter";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
  setProcessDatabase(database);
});
afterAll(async () => {
  await database?.close();
});

describe("sign-up attempts per address", () => {
  it("past the hourly budget an address is refused; other addresses are not", async () => {
    const budget = env().SIGNUP_ATTEMPTS_PER_HOUR;
    for (let i = 0; i < budget; i++) expect(await allowSignUpAttempt("203.0.113.50")).toBe(true);
    expect(await allowSignUpAttempt("203.0.113.50")).toBe(false);
    expect(await allowSignUpAttempt("203.0.113.51")).toBe(true);
  });

  it("counts an IPv6 client by its /64", async () => {
    const budget = env().SIGNUP_ATTEMPTS_PER_HOUR;
    for (let i = 0; i < budget; i++)
      expect(await allowSignUpAttempt(`2001:db8:5::${i + 1}`)).toBe(true);
    expect(await allowSignUpAttempt("2001:db8:5::abcd")).toBe(false);
    expect(await allowSignUpAttempt("2001:db8:6::1")).toBe(true);
  });
});
