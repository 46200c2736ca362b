import { describe, expect, it } from "vitest";
import { formatMoney, parseMoney } from "./money";
import { affordableOutputTokens, costOf } from "../billing/pricing";

describe("money", () => {
  it("formats micro-units as decimal strings and parses them back", () => {
    expect(formatMoney(12_500_000n)).toBe("12.50");
    expect(formatMoney(1n)).toBe("0.000001");
    expect(formatMoney(0n)).toBe("0.00");
    expect(parseMoney("12.5")).toBe(12_500_000n);
    expect(parseMoney(0.1)).toBe(100_000n);
    expect(parseMoney("1.0000001")).toBeNull();
    expect(parseMoney("abc")).toBeNull();
  });

  it("prices per 1M tokens, rounded up once per request", () => {
    const prices = { inputPricePerMillion: 1_000_000n, outputPricePerMillion: 2_000_000n };
    expect(costOf(prices, 11, 5)).toBe(21n);
    expect(costOf({ inputPricePerMillion: 1n, outputPricePerMillion: 1n }, 1, 0)).toBe(1n);
    expect(affordableOutputTokens(prices, 10, 30n)).toBe(10);
    expect(affordableOutputTokens(prices, 40, 30n)).toBe(0);
  });

  it("prices cached input at the cached price, which defaults to the input price", () => {
    const prices = { inputPricePerMillion: 1_000_000n, outputPricePerMillion: 2_000_000n };
    // No cached price set: 100 input tokens cost the same, cached or not.
    expect(costOf(prices, 100, 0, { cachedInputTokens: 60 })).toBe(costOf(prices, 100, 0));
    const cheaperCache = {
      ...prices,
      cachedInputPricePerMillion: 100_000n,
      cacheWritePricePerMillion: 1_250_000n,
    };
    // 40 plain × 1.00 + 60 cached × 0.10 = 46 micro-units.
    expect(costOf(cheaperCache, 100, 0, { cachedInputTokens: 60 })).toBe(46n);
    // 20 plain × 1.00 + 60 cached × 0.10 + 20 written × 1.25 = 51.
    expect(costOf(cheaperCache, 100, 0, { cachedInputTokens: 60, cacheWriteTokens: 20 })).toBe(51n);
    // More cached than input (an upstream's odd report) never prices input below zero.
    expect(costOf(cheaperCache, 10, 0, { cachedInputTokens: 60 })).toBe(1n);
  });
});
