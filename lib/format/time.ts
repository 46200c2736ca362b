/**
 * Times as the dashboard shows them, one rule everywhere: recent and near times relative
 * ("2 min ago", "in 3 days"), anything further as a date with its time; the exact time is
 * always in the title (hover, long-press).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(date: Date, now: Date = new Date()): string {
  const diff = date.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const future = diff > 0;
  const say = (n: number, unit: string) => (future ? `in ${n} ${unit}` : `${n} ${unit} ago`);
  if (abs < 45_000) return future ? "in a moment" : "just now";
  if (abs < HOUR) return say(Math.max(1, Math.round(abs / MINUTE)), "min");
  // 23.9 hours reads as "tomorrow", not "in 24 hours".
  if (Math.round(abs / HOUR) < 24) {
    const hours = Math.round(abs / HOUR);
    return say(hours, hours === 1 ? "hour" : "hours");
  }
  if (abs < 31 * DAY) {
    const days = Math.round(abs / DAY);
    if (days === 1) return future ? "tomorrow" : "yesterday";
    return say(days, "days");
  }
  return dateAndTime(date);
}

/** "3 Dec 2026, 14:05" in the reader's own timezone (or the one given, for the server's first render). */
export function dateAndTime(date: Date, timeZone?: string): string {
  return date.toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  });
}

/** The full time for a title: "Thursday 3 December 2026 at 14:05:09 GMT+1". */
export function fullDateTime(date: Date, timeZone?: string): string {
  return date.toLocaleString("en-GB", { dateStyle: "full", timeStyle: "long", timeZone });
}
