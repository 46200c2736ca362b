import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./processes";

/**
 * A Postgres server of the test's own, on a free loopback port and a temp data directory,
 * so that a test can stop and start it (a database outage) without touching the machine's
 * shared server that other tests and people use. initdb refuses to run as root, so as root
 * every command runs as the `postgres` OS user with the directory handed to it.
 */
export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  /** Stops the server and deletes its data. */
  destroy(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "no Postgres server binaries under /usr/lib/postgresql (apt-get install postgresql)",
  );
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const run = (command: string, args: string[]) => {
    const full = path.join(bin, command);
    // Bounded: a server that does not come up or down within 30 s fails the test.
    const options = { stdio: "pipe" as const, timeout: 30_000 };
    if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", full, ...args], options);
    else execFileSync(full, args, options);
  };
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  // fsync off: this server holds throwaway test data, and an immediate stop is the point.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    run("pg_ctl", ["-D", data, "-o", serverOptions, "-l", log, "-w", "-t", "30", "start"]);
  // `immediate` is an outage as clients see it: connections drop with no goodbye.
  const stop = () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
