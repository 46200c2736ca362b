import { describe, expect, it } from "vitest";
import { columnDecimals, columnFormat, formatFixed } from "./column-money";

describe("one money format per column", () => {
  it("uses the decimals the most precise value needs, for every value and the total", () => {
    const rows = Array.from({ length: 10 }, () => 25_000n); // 0.025 each
    const total = rows.reduce((a, b) => a + b, 0n);
    const format = columnFormat([...rows, total]);
    expect(rows.map(format)).toEqual(Array(10).fill("0.025"));
    expect(format(total)).toBe("0.250");
    // The shown rows add up to the shown total.
    const shownSum = rows.map(format).reduce((a, b) => a + Number(b) * 1000, 0);
    expect(shownSum / 1000).toBe(Number(format(total)));
  });

  it("shows 0.03 beside 0.000032 with the same six decimals", () => {
    const format = columnFormat([30_000n, 32n]);
    expect([format(30_000n), format(32n)]).toEqual(["0.030000", "0.000032"]);
  });

  it("keeps two decimals for whole cents, separators for thousands, and a sign", () => {
    expect(columnDecimals([1_500_000n, 0n])).toBe(2);
    expect(formatFixed(1_234_567_890_000n, 2)).toBe("1,234,567.89");
    expect(formatFixed(-1_500_000n, 2)).toBe("-1.50");
    expect(formatFixed(0n, 4)).toBe("0.0000");
  });
});
