import { z } from "zod";
import { parseMoney } from "@/lib/core/money";

/** A positive amount in currency units: `"12.50"` or `12.5`, at most 6 decimals → bigint micro-units. */
export const positiveMoney = z
  .union([z.string(), z.number()], { error: "Enter a positive amount, like 12.50" })
  .transform((value, ctx) => {
    const micros = parseMoney(value);
    if (micros === null || micros <= 0n) {
      ctx.addIssue({ code: "custom", message: "Enter a positive amount, like 12.50" });
      return z.NEVER;
    }
    return micros;
  })
  .meta({
    description: 'Money in currency units as a decimal string ("12.50"); numbers are accepted.',
  });

/** An ISO 8601 time with an offset (`2026-05-01T12:00:00Z`), later than now. */
export const futureTime = z.iso
  .datetime({ offset: true, error: "Enter a date and time like 2026-05-01T12:00:00Z" })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "The expiry must be in the future")
  .meta({ description: "ISO 8601 time in the future." });

export const isoTime = z.iso.datetime({ offset: true });
export const moneyString = z
  .string()
  .meta({ description: 'Decimal string in currency units, like "12.50".' });

export const uuidParam = z.string().min(1).max(64);
