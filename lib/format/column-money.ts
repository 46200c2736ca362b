import { MICROS_PER_UNIT } from "@/lib/core/money";

/**
 * One money format for a whole column (and its total): enough decimals to show every
 * value in it exactly (micro-units, so six at most; two at least). Rounded figures in a
 * column do not add up to a rounded total ("0.03" ten times above "0.25"); exact ones do,
 * and "0.030000" beside "0.000032" reads as one column.
 */
export function columnDecimals(values: readonly bigint[]): number {
  let decimals = 2;
  for (const value of values) {
    const abs = value < 0n ? -value : value;
    const fraction = abs % MICROS_PER_UNIT;
    if (fraction === 0n) continue;
    // Six decimals less the trailing zeros of the micro-unit fraction.
    let needed = 6;
    let rest = fraction;
    while (needed > 2 && rest % 10n === 0n) {
      rest /= 10n;
      needed -= 1;
    }
    decimals = Math.max(decimals, needed);
  }
  return decimals;
}

/** A micro-unit amount with exactly `decimals` decimals (2–6) and thousands separators. */
export function formatFixed(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const step = 10n ** BigInt(6 - decimals);
  const scaled = (abs + step / 2n) / step;
  const unit = 10n ** BigInt(decimals);
  const whole = (scaled / unit).toLocaleString("en-US");
  const fraction = (scaled % unit).toString().padStart(decimals, "0");
  return `${negative && scaled !== 0n ? "-" : ""}${whole}.${fraction}`;
}

/** A formatter for one column: `format(value)` with the decimals its values need. */
export function columnFormat(values: readonly bigint[]): (value: bigint) => string {
  const decimals = columnDecimals(values);
  return (value) => formatFixed(value, decimals);
}
