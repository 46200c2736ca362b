/**
 * Money is bigint micro-units (10^-6 of the configured currency) everywhere inside the app.
 * These two functions are the only place it becomes a decimal string and back, at the
 * edge of the JSON API ("12.50"; numbers are accepted on input).
 */
export const MICROS_PER_UNIT = 1_000_000n;

/** `12500000n` → `"12.50"`; keeps every significant micro digit, at least two decimals. */
export function formatMoney(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_UNIT;
  let fraction = (abs % MICROS_PER_UNIT).toString().padStart(6, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

const DECIMAL = /^(-)?(\d{1,12})(?:\.(\d{1,6}))?$/;

/** `"12.5"` or `12.5` → `12500000n`; null for anything that is not a plain decimal with ≤ 6 places. */
export function parseMoney(input: string | number): bigint | null {
  const text =
    typeof input === "number" ? (Number.isFinite(input) ? numberToPlain(input) : "") : input.trim();
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const micros = BigInt(whole) * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, "0"));
  return sign ? -micros : micros;
}

/** Numbers go through toFixed(6) so that 0.1 + binary noise does not become 0.100000000000000005. */
function numberToPlain(value: number): string {
  return value.toFixed(6).replace(/\.?0+$/, "");
}
