import { describe, expect, it } from "vitest";
import { checksumOf, encodeBase62, generateKey, hashKey, maskKey, parseKey } from "./format";
import { keyStatus } from "./status";

describe("key format", () => {
  it("generates live and management keys of the documented shape", () => {
    const live = generateKey("live");
    const mgmt = generateKey("mgmt");
    expect(live).toMatch(/^mb_live_[0-9A-Za-z]{38}$/);
    expect(mgmt).toMatch(/^mb_mgmt_[0-9A-Za-z]{38}$/);
    expect(parseKey(live)).toEqual({ kind: "live", prefix: "mb_live_" });
    expect(parseKey(mgmt)).toEqual({ kind: "mgmt", prefix: "mb_mgmt_" });
  });

  it("never repeats a key", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateKey("live")));
    expect(seen.size).toBe(2000);
  });

  it("encodes the CRC32 checksum as 6 base62 characters (fixed vectors)", () => {
    // crc32("123456789") = 0xCBF43926 = 3421780262 (the standard check value); base62 computed independently in Python
    expect(checksumOf("")).toBe("000000");
    expect(encodeBase62(3421780262, 6)).toBe("3jZRME");
    expect(checksumOf("123456789")).toBe("3jZRME");
    expect(encodeBase62(61, 2)).toBe("0z");
  });

  it("rejects a key with one character changed, a wrong prefix or a wrong length", () => {
    const key = generateKey("live");
    const flipped = key.slice(0, 12) + (key[12] === "a" ? "b" : "a") + key.slice(13);
    expect(parseKey(flipped)).toBeNull();
    expect(parseKey(key.slice(0, -1))).toBeNull();
    expect(parseKey(key.replace("mb_live_", "mb_test_"))).toBeNull();
    expect(parseKey("sk-" + key.slice(8))).toBeNull();
    expect(parseKey("")).toBeNull();
  });

  it("honours a configured prefix", () => {
    const key = generateKey("live", "acme_");
    expect(key.startsWith("acme_live_")).toBe(true);
    expect(parseKey(key, "acme_")).not.toBeNull();
    expect(parseKey(key)).toBeNull();
  });

  it("hashes with SHA-256 hex and masks as prefix + last 4", () => {
    expect(hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(maskKey("mb_live_", "a1b2")).toBe("mb_live_…a1b2");
  });
});

describe("key status", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const base = { revokedAt: null, expiresAt: null, spendingLimit: null, spend: 0n };
  it("follows revoked > expired > limit_reached > active", () => {
    expect(keyStatus(base, now)).toBe("active");
    expect(keyStatus({ ...base, spendingLimit: 10n, spend: 10n }, now)).toBe("limit_reached");
    expect(keyStatus({ ...base, spendingLimit: 10n, spend: 9n }, now)).toBe("active");
    const past = new Date("2026-05-01T00:00:00Z");
    expect(keyStatus({ ...base, expiresAt: past, spendingLimit: 10n, spend: 10n }, now)).toBe(
      "expired",
    );
    expect(
      keyStatus({ ...base, revokedAt: past, expiresAt: past, spendingLimit: 1n, spend: 5n }, now),
    ).toBe("revoked");
    expect(keyStatus({ ...base, expiresAt: new Date("2026-07-01T00:00:00Z") }, now)).toBe("active");
  });
});
