import { env } from "@/lib/env";
import { prettyLine } from "./pretty-line";

const LOG_LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/**
 * One JSON line per event. Lines are gathered and written every LOG_BATCH_MS, or at once
 * past LOG_BATCH_BYTES: stdout to a file or a pipe is a synchronous write on Linux, and one
 * per event-loop turn still showed in the bench's profile (~1.5% of the /v1 process's CPU).
 * A normal exit writes what is pending; a crash loses at most LOG_BATCH_MS of lines (the
 * request records themselves are in the database, see lib/gateway/stores/usage-sink.ts).
 */
const LOG_BATCH_MS = 50;
const LOG_BATCH_BYTES = 64 * 1024;

export function jsonLogger(): ((line: Record<string, unknown>) => void) & { flush(): void } {
  const threshold = LOG_LEVELS[env().LOG_LEVEL];
  // LOG_FORMAT=pretty: one readable line per event for a terminal (pretty-line.ts).
  const pretty = env().LOG_FORMAT === "pretty";
  const colour = pretty && process.stdout.isTTY === true;
  let pending = "";
  let timer: NodeJS.Timeout | null = null;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending === "") return;
    const out = pending;
    pending = "";
    process.stdout.write(out);
  };
  process.once("exit", write);
  // toISOString is formatted in C++ (~1 µs); lines within one millisecond share it.
  let stampedAt = 0;
  let stamp = "";
  const log = (line: Record<string, unknown>) => {
    const level = LOG_LEVELS[(line.level as keyof typeof LOG_LEVELS) ?? "info"] ?? 20;
    if (level < threshold) return;
    if (timer === null) timer = setTimeout(write, LOG_BATCH_MS);
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString();
    }
    if (pretty) {
      pending += prettyLine(stamp, line, colour);
    } else {
      // `time` first, without copying the line into a new object (one per request on /v1).
      const rest = JSON.stringify(line);
      pending += `{"time":"${stamp}"${rest.length > 2 ? "," : ""}${rest.slice(1)}\n`;
    }
    if (pending.length >= LOG_BATCH_BYTES) write();
  };
  return Object.assign(log, { flush: write });
}
