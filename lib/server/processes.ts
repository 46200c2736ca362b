import cluster from "node:cluster";
import os from "node:os";

/**
 * How many processes `npm start` runs. With Postgres, WEB_CONCURRENCY of them (default
 * `auto`: one per core), through Node's cluster: the workers share the port, and the key cache, budget leases,
 * balances and model registry of each are kept coherent through Postgres (NOTIFY and
 * leases), as with several servers. The embedded database is one process by construction
 * (PGlite's data directory is locked by the process that opens it), so it stays at one and
 * says so.
 */
export interface ProcessPlan {
  workers: number;
  /** Why, for the start-up log line. */
  reason: string;
}

export function processPlan(
  config: { DATABASE_URL?: string; WEB_CONCURRENCY?: number | "auto" },
  cores = os.availableParallelism(),
): ProcessPlan {
  if (!config.DATABASE_URL) {
    return {
      workers: 1,
      reason:
        config.WEB_CONCURRENCY && config.WEB_CONCURRENCY !== 1
          ? `WEB_CONCURRENCY=${config.WEB_CONCURRENCY} ignored: the embedded database is served by one process (set DATABASE_URL to use ${cores} cores)`
          : `one process: the embedded database is served by one process${cores > 1 ? ` (with DATABASE_URL, WEB_CONCURRENCY=auto uses all ${cores} cores)` : ""}`,
    };
  }
  if (config.WEB_CONCURRENCY && config.WEB_CONCURRENCY !== "auto")
    return { workers: config.WEB_CONCURRENCY, reason: `WEB_CONCURRENCY=${config.WEB_CONCURRENCY}` };
  // Nothing that decides lives in one process (docs/scaling.md): every core by default.
  return {
    workers: cores,
    reason: `WEB_CONCURRENCY=${config.WEB_CONCURRENCY ?? "auto (the default)"}: one process per core (${cores})`,
  };
}

/** Restarts of a worker that died, at most this many a minute before the primary gives up. */
const MAX_RESTARTS_PER_MINUTE = 5;

/**
 * The cluster's primary: forks the workers, passes SIGTERM/SIGINT on to them (each drains
 * and flushes its own usage records), restarts a worker that dies unexpectedly, and exits
 * once they have all exited. It opens no database and serves nothing itself.
 */
export function superviseWorkers(
  count: number,
  log: (line: Record<string, unknown>) => void,
): void {
  let stopping = false;
  const restarts: number[] = [];
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    while (restarts.length > 0 && now - restarts[0] > 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS_PER_MINUTE || code === 1) {
      // Exit code 1 is a start-up failure (bad configuration, database unreachable): a
      // restart would fail the same way, so the whole server stops with it.
      log({
        level: "error",
        msg: "worker exited; stopping the server",
        pid: worker.process.pid,
        code,
        signal,
      });
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill("SIGTERM");
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    restarts.push(now);
    log({
      level: "error",
      msg: "worker died; restarting it",
      pid: worker.process.pid,
      code,
      signal,
    });
    cluster.fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
