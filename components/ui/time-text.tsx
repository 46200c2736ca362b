"use client";

import { useSyncExternalStore } from "react";
import { dateAndTime, fullDateTime, relativeTime } from "@/lib/format/time";

const subscribe = () => () => {};

/**
 * A time as the dashboard shows every time: relative when near ("2 min ago"), date and
 * time when further, the exact time in the title. The server does not know the reader's
 * timezone or clock, so the first render (server and hydration) shows UTC and the browser
 * then switches to its own.
 */
export function TimeText({
  value,
  empty = "Never",
}: {
  value: string | Date | null;
  empty?: string;
}) {
  const isClient = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!value) return <span className="text-zinc-500">{empty}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const text = isClient ? relativeTime(date) : `${dateAndTime(date, "UTC")} UTC`;
  const full = isClient ? fullDateTime(date) : fullDateTime(date, "UTC");
  return (
    <time dateTime={date.toISOString()} title={full} className="whitespace-nowrap">
      {text}
    </time>
  );
}
