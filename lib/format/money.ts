import { MICROS_PER_UNIT, parseMoney } from "@/lib/core/money";

/**
 * Money as the dashboard shows it, one rule everywhere: two decimals, and for amounts
 * under 0.01 two significant digits (0.0020, 0.0046, 0.000012), so that a small spend is
 * never shown as "0.00" nor with a different number of digits each time. The API keeps
 * the exact micro-unit decimal (lib/core/money.ts); this is only for reading.
 */
const CENT = MICROS_PER_UNIT / 100n;

export function formatAmount(value: bigint | string): string {
  const micros = typeof value === "bigint" ? value : parseMoney(value);
  if (micros === null) return String(value);
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const sign = negative ? "-" : "";
  if (abs === 0n) return "0.00";
  // Under a cent: keep two significant digits of the micro-units (all six decimals at most).
  const digits = abs.toString().length;
  const drop = BigInt(Math.max(0, digits - 2));
  const step = 10n ** drop;
  const rounded = ((abs + step / 2n) / step) * step;
  if (abs >= CENT || rounded >= CENT) {
    const cents = (abs + CENT / 2n) / CENT;
    return `${sign}${(cents / 100n).toLocaleString("en-US")}.${(cents % 100n).toString().padStart(2, "0")}`;
  }
  const decimals = 6 - Number(drop);
  const text = (Number(rounded) / 1_000_000).toFixed(Math.max(2, decimals));
  return `${sign}${text}`;
}

/** `formatAmount` with the currency code after it, as in "12.50 AUD". */
export function formatMoneyWithCurrency(value: bigint | string, currency: string): string {
  return `${formatAmount(value)} ${currency}`;
}
