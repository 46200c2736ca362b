"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A time in the reader's own timezone. The server does not know it, so the first render
 * (server and hydration) shows UTC and the browser then switches to local time.
 */
export function LocalTime({ value, empty = "Never" }: { value: string | null; empty?: string }) {
  const isClient = useSyncExternalStore(subscribe, () => true, () => false);
  if (!value) return <span className="text-zinc-500">{empty}</span>;
  const date = new Date(value);
  const text = isClient
    ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
    : `${date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
  return (
    <time dateTime={value} title={date.toISOString()} className="whitespace-nowrap">
      {text}
    </time>
  );
}
