/**
 * The time window of a usage view. Days are UTC calendar days (the same days the ledger's
 * months use), so a chart, the API and the CSV agree on what "Tuesday" means.
 * `from` is inclusive and `to` exclusive.
 */
export const rangePresets = ["7", "30", "90"] as const;
export type RangePreset = (typeof rangePresets)[number];

export interface UsageRange {
  from: Date;
  to: Date;
  /** The preset it came from, or null for a custom range. */
  preset: RangePreset | null;
}

export const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_PRESET: RangePreset = "30";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last N days, today included. */
export function presetRange(preset: RangePreset, now: Date): UsageRange {
  const to = new Date(startOfUtcDay(now).getTime() + DAY_MS);
  return { from: new Date(to.getTime() - Number(preset) * DAY_MS), to, preset };
}

/**
 * `2026-05-01` or an ISO time. A bare day as `to` means "through the end of that day",
 * which is what a person picking dates means.
 */
export function parseInstant(value: string, edge: "from" | "to"): Date | null {
  if (DAY.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || utcDay(day) !== value) return null;
    return edge === "to" ? new Date(day.getTime() + DAY_MS) : day;
  }
  const time = new Date(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(time.getTime()) ? time : null;
}

export type RangeResult =
  { ok: true; range: UsageRange } | { ok: false; param: "from" | "to"; message: string };

/** A preset wins; otherwise from/to (either may be omitted: 30 days before `to`, or up to now). */
export function resolveRange(
  input: { range?: string; from?: string; to?: string },
  now: Date,
): RangeResult {
  if (input.range && (rangePresets as readonly string[]).includes(input.range)) {
    return { ok: true, range: presetRange(input.range as RangePreset, now) };
  }
  if (!input.from && !input.to) return { ok: true, range: presetRange(DEFAULT_PRESET, now) };
  const to = input.to
    ? parseInstant(input.to, "to")
    : new Date(startOfUtcDay(now).getTime() + DAY_MS);
  if (!to)
    return { ok: false, param: "to", message: "Enter a date like 2026-05-31 or an ISO 8601 time" };
  const from = input.from
    ? parseInstant(input.from, "from")
    : new Date(to.getTime() - Number(DEFAULT_PRESET) * DAY_MS);
  if (!from)
    return {
      ok: false,
      param: "from",
      message: "Enter a date like 2026-05-01 or an ISO 8601 time",
    };
  if (from.getTime() >= to.getTime())
    return { ok: false, param: "from", message: "The start must be before the end" };
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    return { ok: false, param: "from", message: `The range can be at most ${MAX_RANGE_DAYS} days` };
  }
  return { ok: true, range: { from, to, preset: null } };
}

/** Every UTC day the range touches, so that a chart shows days without traffic as zero. */
export function daysOf(range: UsageRange): string[] {
  const days: string[] = [];
  const last = new Date(range.to.getTime() - 1);
  for (
    let day = startOfUtcDay(range.from);
    day.getTime() <= last.getTime();
    day = new Date(day.getTime() + DAY_MS)
  ) {
    days.push(utcDay(day));
  }
  return days;
}

/** The inclusive last day, for showing a range and for links that carry it as dates. */
export function lastDayOf(range: UsageRange): string {
  return utcDay(new Date(range.to.getTime() - 1));
}
