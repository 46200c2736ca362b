import { describe, expect, it } from "vitest";
import { compileAllowlist, ipAllowed, normalizeCidr } from "./ip-allowlist";

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
