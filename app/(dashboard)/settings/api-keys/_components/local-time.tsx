"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A day in the reader's own timezone (the full time in its title). The server does not know it, so the first render
 * (server and hydration) shows UTC and the browser then switches to local time.
 */
export function LocalTime({ value, empty = "Never" }: { value: string | null; empty?: string }) {
  const isClient = useSyncExternalStore(subscribe, () => true, () => false);
  if (!value) return <span className="text-zinc-500">{empty}</span>;
  const date = new Date(value);
  const text = isClient
    ? date.toLocaleDateString(undefined, { dateStyle: "medium" })
    : date.toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
  // The day fits a table cell; the exact local time is one hover (or long-press) away.
  const full = isClient ? date.toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" }) : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return (
    <time dateTime={value} title={full} className="whitespace-nowrap">
      {text}
    </time>
  );
}
