import { describe, expect, it } from "vitest";
import { compileAllowlist, ipAllowed, normalizeCidr } from "./ip-allowlist";
import { ipAllowlistInput, ipAllowlistLines } from "./schemas";

describe("IP allowlist", () => {
  it("normalizes ranges and bare addresses, refuses nonsense", () => {
    expect(normalizeCidr("10.1.2.3/8")).toBe("10.0.0.0/8");
    expect(normalizeCidr("192.0.2.7")).toBe("192.0.2.7/32");
    expect(normalizeCidr("2001:db8::1/32")).toBe("2001:db8::/32");
    expect(normalizeCidr("::1")).toBe("::1/128");
    expect(normalizeCidr("10.0.0.0/33")).toBeNull();
    expect(normalizeCidr("example.com")).toBeNull();
  });

  it("matches IPv4, IPv6 and IPv4-mapped IPv6 clients", () => {
    const ranges = compileAllowlist(["10.0.0.0/8", "2001:db8::/32"]);
    expect(ipAllowed(ranges, "10.200.1.1")).toBe(true);
    expect(ipAllowed(ranges, "::ffff:10.0.0.1")).toBe(true);
    expect(ipAllowed(ranges, "11.0.0.1")).toBe(false);
    expect(ipAllowed(ranges, "2001:db8:abcd::5")).toBe(true);
    expect(ipAllowed(ranges, "2001:db9::5")).toBe(false);
    expect(ipAllowed(ranges, null)).toBe(false);
  });
});

describe("legacy IPv4 spellings (issue 27 item 14)", () => {
  it("refuses octal, hex, short and integer forms instead of storing another address", () => {
    for (const text of [
      "010.1.1.1",
      "010.1.1.1/32",
      "0x0a.1.1.1",
      "10.1",
      "167772161",
      "::ffff:010.1.1.1",
    ]) {
      expect(normalizeCidr(text), text).toBeNull();
    }
    expect(normalizeCidr("10.1.1.1")).toBe("10.1.1.1/32");
    expect(normalizeCidr("0.0.0.0/0")).toBe("0.0.0.0/0");
    expect(normalizeCidr("::ffff:10.1.1.1")).toBe("10.1.1.1/32");
  });

  it("says why in the field error", () => {
    const result = ipAllowlistInput.safeParse(["010.1.1.1"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/legacy IPv4 spelling.*like 10\.1\.1\.1/);
  });
});

describe("every bad entry is named, not only the first (issue 31)", () => {
  it("the API names each bad entry by its position, in one message", () => {
    const result = ipAllowlistInput.safeParse(["10.0.0.1", "10.0.0.300", "2001:db8::/32", "abc"]);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toBe(
      "Entry 2 (“10.0.0.300”) and entry 4 (“abc”) are not IP addresses or CIDR ranges (like 203.0.113.0/24 or 2001:db8::/32).",
    );
  });

  it("the form names lines as typed, ranges on one line sharing it, and both kinds of mistake", () => {
    const result = ipAllowlistLines.safeParse([
      "10.0.0.1, 10.0.0.2",
      "",
      "nope 10.0.0.0/33",
      "010.1.1.1",
    ]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "Line 3 (“nope”) and line 3 (“10.0.0.0/33”) are not IP addresses or CIDR ranges (like 203.0.113.0/24 or 2001:db8::/32). " +
        "Line 4 (“010.1.1.1”) uses a legacy IPv4 spelling (leading zeros, hex or fewer than four parts): write four plain decimal numbers, like 10.1.1.1.",
    );
    expect(ipAllowlistLines.parse(["10.0.0.1, 10.0.0.2", "", "10.0.0.1"])).toEqual([
      "10.0.0.1/32",
      "10.0.0.2/32",
    ]);
  });

  it("a long list of junk names five and counts the rest", () => {
    const junk = Array.from({ length: 8 }, (_, i) => `bad${i + 1}`);
    const message = ipAllowlistInput.safeParse(junk).error?.issues[0]?.message ?? "";
    expect(message).toMatch(
      /^Entry 1 \(“bad1”\), entry 2 .* entry 5 \(“bad5”\) and 3 more are not/,
    );
  });
});
