import { describe, expect, it } from "vitest";
import { keyStatusLabel } from "./key-status";
import { formatAmount } from "./money";
import { relativeTime } from "./time";

describe("dashboard formats", () => {
  it("money: two decimals, two significant digits under a cent, never 0.00 for a spend", () => {
    expect(formatAmount(0n)).toBe("0.00");
    expect(formatAmount(10_000_000n)).toBe("10.00");
    expect(formatAmount("25.5")).toBe("25.50");
    expect(formatAmount(1_992n)).toBe("0.0020");
    expect(formatAmount(4_590n)).toBe("0.0046");
    expect(formatAmount(12n)).toBe("0.000012");
    expect(formatAmount(3n)).toBe("0.000003");
    expect(formatAmount(9_999n)).toBe("0.01");
    expect(formatAmount(1_234_567_891n)).toBe("1,234.57");
    expect(formatAmount(-4_590n)).toBe("-0.0046");
  });

  it("times: relative near now, date and time further away", () => {
    const now = new Date("2026-12-03T10:00:00Z");
    expect(relativeTime(new Date("2026-12-03T09:58:00Z"), now)).toBe("2 min ago");
    expect(relativeTime(new Date("2026-12-03T10:00:10Z"), now)).toBe("in a moment");
    expect(relativeTime(new Date("2026-12-03T07:00:00Z"), now)).toBe("3 hours ago");
    expect(relativeTime(new Date("2026-12-04T10:00:00Z"), now)).toBe("tomorrow");
    expect(relativeTime(new Date("2026-12-04T09:50:00Z"), now)).toBe("tomorrow");
    expect(relativeTime(new Date("2027-01-02T10:00:00Z"), now)).toBe("in 30 days");
    expect(relativeTime(new Date("2027-03-03T10:00:00Z"), now)).toMatch(/3 Mar 2027, \d\d:\d\d/);
  });

  it("status labels are words, not codes", () => {
    expect(keyStatusLabel("limit_reached")).toBe("Limit reached");
    expect(keyStatusLabel("paused")).toBe("Paused");
    expect(keyStatusLabel("some_new_state")).toBe("Some new state");
  });
});
