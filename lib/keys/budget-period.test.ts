import { describe, expect, it } from "vitest";
import { currentPeriodSpend, periodEndAt, periodStartAt } from "./budget-period";

const at = (iso: string) => new Date(iso);

describe("budget periods (UTC)", () => {
  it("starts a day at UTC midnight and ends at the next", () => {
    expect(periodStartAt("daily", at("2026-03-10T23:59:59.999Z"))?.toISOString()).toBe(
      "2026-03-10T00:00:00.000Z",
    );
    expect(periodEndAt("daily", at("2026-03-10T23:59:59.999Z"))?.toISOString()).toBe(
      "2026-03-11T00:00:00.000Z",
    );
  });

  it("starts a week on Monday, also from a Sunday", () => {
    // 2026-03-15 is a Sunday; 2026-03-09 the Monday before.
    expect(periodStartAt("weekly", at("2026-03-15T12:00:00Z"))?.toISOString()).toBe(
      "2026-03-09T00:00:00.000Z",
    );
    expect(periodStartAt("weekly", at("2026-03-16T00:00:00Z"))?.toISOString()).toBe(
      "2026-03-16T00:00:00.000Z",
    );
    expect(periodEndAt("weekly", at("2026-03-15T12:00:00Z"))?.toISOString()).toBe(
      "2026-03-16T00:00:00.000Z",
    );
  });

  it("rolls a month over the year's end", () => {
    expect(periodStartAt("monthly", at("2026-12-31T23:00:00Z"))?.toISOString()).toBe(
      "2026-12-01T00:00:00.000Z",
    );
    expect(periodEndAt("monthly", at("2026-12-31T23:00:00Z"))?.toISOString()).toBe(
      "2027-01-01T00:00:00.000Z",
    );
  });

  it("has no boundary for none", () => {
    expect(periodStartAt("none", at("2026-03-10T00:00:00Z"))).toBeNull();
    expect(periodEndAt("none", at("2026-03-10T00:00:00Z"))).toBeNull();
  });

  it("counts a past period's spend as nothing once the boundary has passed", () => {
    const key = {
      budgetPeriod: "daily" as const,
      periodStart: at("2026-03-10T00:00:00Z"),
      periodSpend: 5_000_000n,
    };
    expect(currentPeriodSpend(key, at("2026-03-10T23:59:59Z"))).toBe(5_000_000n);
    expect(currentPeriodSpend(key, at("2026-03-11T00:00:00Z"))).toBe(0n);
    expect(
      currentPeriodSpend(
        { ...key, budgetPeriod: "none", periodStart: null },
        at("2030-01-01T00:00:00Z"),
      ),
    ).toBe(5_000_000n);
  });
});
