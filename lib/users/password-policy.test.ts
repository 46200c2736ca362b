import { describe, expect, it } from "vitest";
import { signInSchema, signUpSchema } from "./schemas";

const signUp = (password: string) =>
  signUpSchema.safeParse({ name: "Ada", email: "ada@example.com", password });
const message = (password: string) => {
  const result = signUp(password);
  return result.success
    ? null
    : result.error.issues.find((issue) => issue.path[0] === "password")?.message;
};

describe("passwords for new accounts", () => {
  it("refuses the weak passwords a red-team pass got through (12345678, eight spaces)", () => {
    expect(signUp("12345678").success).toBe(false);
    expect(signUp("        ").success).toBe(false);
  });

  it("needs at least 10 characters", () => {
    expect(message("x7Hq!p2Lm")).toBe("Use at least 10 characters");
    expect(signUp("x7Hq!p2Lm9").success).toBe(true);
  });

  it("refuses a password of only whitespace, however long", () => {
    expect(message(" \t".repeat(8))).toBe("A password cannot be only spaces");
  });

  it("refuses passwords on the common-password list, whatever their case", () => {
    for (const common of ["1234567890", "qwertyuiop", "Password123", "PASSWORD123"]) {
      expect(message(common), common).toMatch(/list of common passwords/);
    }
  });

  it("still signs in with an older, shorter password (the rules apply to new passwords)", () => {
    expect(signInSchema.safeParse({ email: "ada@example.com", password: "pw-short" }).success).toBe(
      true,
    );
  });
});
