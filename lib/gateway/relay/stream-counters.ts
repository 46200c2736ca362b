import { processSingleton } from "@/lib/singleton";

/** Stream events the relay skipped as malformed, per process; /metrics reads it at scrape time. */
const counters = processSingleton("gateway.stream-counters", () => ({ malformed: 0 }));

export function noteMalformedEvent(): void {
  counters.malformed++;
}

export function malformedEventsSkipped(): number {
  return counters.malformed;
}
