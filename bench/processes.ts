/**
 * Starting, pinning, measuring and stopping the benchmark's processes. Pinning goes through
 * `taskset` when it exists (Linux): the process under test gets one core of its own, the
 * load side (mock upstream, wrk, this orchestrator) the other, so that they do not steal
 * each other's time slices and CPU per request is the server's alone.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import readline from "node:readline";
import { stopProcess } from "../tests/helpers/processes";

export { stopProcess };

export const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Core for the server under test, and for the load side; null when not pinning. */
export const CORES = os.cpus().length >= 2 && hasTaskset ? { server: "0", load: "1" } : null;

export function pinSelfToLoadCore(): void {
  if (CORES)
    execFileSync("taskset", ["-p", "-c", CORES.load, String(process.pid)], { stdio: "ignore" });
}

export interface Started {
  child: ChildProcess;
  pid: number;
}

/** Spawns `command args` (through taskset when pinning) with output appended to logFile. */
export function startProcess(
  command: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    core?: "server" | "load";
    logFile: string;
    cwd?: string;
  },
): Started {
  const log = fs.openSync(options.logFile, "a");
  const pinned =
    CORES && options.core
      ? ["taskset", ["-c", CORES[options.core], command, ...args]]
      : [command, args];
  // taskset execs the command, so the pid is the server's own (what /proc is read for).
  const child = spawn(pinned[0] as string, pinned[1] as string[], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  if (!child.pid) throw new Error(`could not start ${command}`);
  return { child, pid: child.pid };
}

/** Spawns a helper that prints one JSON line when ready, and returns that line. */
export async function startWithReadyLine<T>(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; core?: "server" | "load" },
): Promise<Started & { ready: T }> {
  const pinned =
    CORES && options.core
      ? ["taskset", ["-c", CORES[options.core], command, ...args]]
      : [command, args];
  const child = spawn(pinned[0] as string, pinned[1] as string[], {
    cwd: process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args.join(" ")} did not start within 20 s`)),
      20_000,
    );
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as T);
    });
  });
  return { child, pid: child.pid!, ready };
}

export async function waitForHttp(
  url: string,
  timeoutMs: number,
  child: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}; log:\n${tail(logFile)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; log:\n${tail(logFile)}`);
}

const tail = (file: string) => fs.readFileSync(file, "utf8").split("\n").slice(-30).join("\n");

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in microseconds (resolution: one clock tick, 10 ms). */
export function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

/** The listening process among `pid` and its descendants (next start may fork a worker). */
export function descendants(pid: number): number[] {
  const out = [pid];
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    for (const child of children ? children.split(" ") : [])
      out.push(...descendants(Number(child)));
  } catch {
    // gone
  }
  return out;
}
