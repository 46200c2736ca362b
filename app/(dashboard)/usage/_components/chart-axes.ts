/**
 * The charts' y axes, computed here rather than left to recharts: the tick values are then
 * known before drawing, so the axis can be as wide as its longest label (a fixed 56 px cut
 * "0.000032" to "00032" on the left), and the three charts share that width so that their
 * plots, and the days under them, line up.
 */

// A fixed locale: the server and the browser must print the same digits.
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Five ticks from 0 to a round top at or above `max` (0, 1, 2… when there is nothing). */
export function niceTicks(max: number, count = 5): number[] {
  const intervals = count - 1;
  if (!(max > 0)) return Array.from({ length: count }, (_, i) => i);
  const raw = max / intervals;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s * intervals >= max) ?? raw;
  // toPrecision: 3 × 0.000002 is 0.0000060000000000000001 in floating point.
  return Array.from({ length: count }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Whole-number ticks (requests, tokens): no step below 1. */
export function integerTicks(max: number, count = 5): number[] {
  return niceTicks(Math.max(max, count - 1), count);
}

/**
 * One format for every label of an axis, from its step: "0.00025, 0.00050…" or "0.5, 1.0,
 * 1.5", never "0.5, 1, 1.5"; small spend (a demo model costs micro-units) keeps its digits
 * in fixed notation (3.2e-6 is not a price); thousands and up are compact (25K).
 */
export function tickFormat(ticks: number[]): (value: number) => string {
  const step = ticks[1] ?? 1;
  if (step >= 1 && Number.isInteger(step)) return (value) => compact.format(value);
  const leading = -Math.floor(Math.log10(step));
  // 2.5 × 10^k needs one decimal more than 1, 2 or 5 × 10^k.
  const extra = Number((step * 10 ** leading).toPrecision(6)) % 1 === 0 ? 0 : 1;
  const decimals = Math.min(8, Math.max(0, leading + extra));
  return (value) =>
    value === 0 ? "0" : value >= 1000 ? compact.format(value) : value.toFixed(decimals);
}

/** Pixels for the longest label at the ticks' 11 px font, plus the gap to the plot. */
export function axisWidth(labels: string[]): number {
  const longest = Math.max(1, ...labels.map((l) => l.length));
  return Math.ceil(longest * 6.8) + 10;
}
