import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptCredential, encryptCredential } from "./credential-crypto";

describe("credential encryption", () => {
  it("round-trips, never contains the plaintext, and refuses a wrong key or tampering", () => {
    const key = randomBytes(32);
    const stored = encryptCredential("sk-secret", key);
    expect(stored).not.toContain("sk-secret");
    expect(encryptCredential("sk-secret", key)).not.toBe(stored);
    expect(decryptCredential(stored, key)).toBe("sk-secret");
    expect(() => decryptCredential(stored, randomBytes(32))).toThrow();
    const parts = stored.split(".");
    parts[3] = Buffer.from("sk-secreT").toString("base64url");
    expect(() => decryptCredential(parts.join("."), key)).toThrow();
  });
});
