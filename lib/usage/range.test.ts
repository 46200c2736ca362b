import { describe, expect, it } from "vitest";
import { daysOf, lastDayOf, presetRange, resolveRange } from "./range";

const now = new Date("2026-05-20T15:30:00Z");

describe("usage ranges (UTC days)", () => {
  it("a preset is the last N days with today included", () => {
    const range = presetRange("7", now);
    expect(range.from.toISOString()).toBe("2026-05-14T00:00:00.000Z");
    expect(range.to.toISOString()).toBe("2026-05-21T00:00:00.000Z");
    expect(daysOf(range)).toEqual([
      "2026-05-14",
      "2026-05-15",
      "2026-05-16",
      "2026-05-17",
      "2026-05-18",
      "2026-05-19",
      "2026-05-20",
    ]);
    expect(daysOf(presetRange("90", now))).toHaveLength(90);
  });

  it("custom days are inclusive at both ends; ISO times are taken as given", () => {
    const result = resolveRange({ from: "2026-04-30", to: "2026-05-02" }, now);
    expect(result.ok && daysOf(result.range)).toEqual(["2026-04-30", "2026-05-01", "2026-05-02"]);
    expect(result.ok && lastDayOf(result.range)).toBe("2026-05-02");
    const times = resolveRange(
      { from: "2026-05-01T12:00:00Z", to: "2026-05-02T06:00:00+02:00" },
      now,
    );
    expect(times.ok && [times.range.from.toISOString(), times.range.to.toISOString()]).toEqual([
      "2026-05-01T12:00:00.000Z",
      "2026-05-02T04:00:00.000Z",
    ]);
  });

  it("defaults to the last 30 days; a preset wins over dates", () => {
    const none = resolveRange({}, now);
    expect(none.ok && daysOf(none.range)).toHaveLength(30);
    const both = resolveRange({ range: "7", from: "2020-01-01" }, now);
    expect(both.ok && both.range.preset).toBe("7");
  });

  it("says which end is wrong", () => {
    expect(resolveRange({ from: "2026-02-30" }, now)).toMatchObject({ ok: false, param: "from" });
    expect(resolveRange({ from: "2026-05-01", to: "yesterday" }, now)).toMatchObject({
      ok: false,
      param: "to",
    });
    expect(resolveRange({ from: "2026-05-03", to: "2026-05-01" }, now)).toMatchObject({
      ok: false,
      message: "The start must be before the end",
    });
    expect(resolveRange({ from: "2024-01-01", to: "2026-01-01" }, now)).toMatchObject({
      ok: false,
      message: "The range can be at most 366 days",
    });
  });
});
