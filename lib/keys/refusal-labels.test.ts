import { describe, expect, it } from "vitest";
import { REFUSAL_CODES } from "@/lib/gateway/stores/refusal-counter";
import { refusalLabel, refusalsByFrequency } from "./refusal-labels";

describe("refusal labels", () => {
  it("names every code the gateway counts in words, not the code", () => {
    for (const code of REFUSAL_CODES) expect(refusalLabel(code)).not.toBe(code);
  });

  it("shows an unknown code as itself rather than nothing", () => {
    expect(refusalLabel("something_new")).toBe("something_new");
  });

  it("lists the most frequent reason first, ties by label", () => {
    expect(
      refusalsByFrequency({ key_paused: 2, rate_limit_exceeded: 5, ip_not_allowed: 2 }),
    ).toEqual([
      ["rate_limit_exceeded", 5],
      ["ip_not_allowed", 2],
      ["key_paused", 2],
    ]);
  });
});
