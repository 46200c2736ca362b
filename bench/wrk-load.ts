/**
 * Throughput phases through wrk (C, epoll): on two cores the load generator shares a core
 * with the mock upstream, so it must cost far less per request than the server under test
 * — a Node load generator (autocannon) costs about as much as the proxy it measures and
 * would cap the floor. bench/wrk-check.lua checks every response.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { CORES } from "./processes";

const run = promisify(execFile);

export interface WrkResult {
  connections: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  firstFailure: string;
}

export interface WrkTarget {
  url: string;
  body: string;
  expectBody: string;
  /** exact: the body byte for byte; stream: expectBody's lines in order, then [DONE] (wrk-check.lua). */
  expectMode?: "exact" | "stream";
  apiKey?: string;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-wrk-"));
const script = path.join(import.meta.dirname, "wrk-check.lua");

export async function wrkLoad(
  target: WrkTarget,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const bodyFile = path.join(scratch, "body.json");
  const expectFile = path.join(scratch, "expect.json");
  fs.writeFileSync(bodyFile, target.body);
  fs.writeFileSync(expectFile, target.expectBody);
  const args = [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "5s",
    "-s",
    script,
    target.url,
  ];
  const [command, argv] = CORES ? ["taskset", ["-c", CORES.load, "wrk", ...args]] : ["wrk", args];
  const { stdout } = await run(command, argv, {
    env: {
      ...process.env,
      BENCH_BODY_FILE: bodyFile,
      BENCH_EXPECT_FILE: expectFile,
      BENCH_EXPECT_MODE: target.expectMode ?? "exact",
      BENCH_AUTH: target.apiKey ?? "",
    },
    maxBuffer: 1 << 20,
  });
  const last = stdout.trim().split("\n").pop() ?? "";
  const r = JSON.parse(last) as Record<string, number | string>;
  const n = (name: string) => Number(r[name]);
  const kinds = [
    "errors_connect",
    "errors_read",
    "errors_write",
    "errors_timeout",
    "errors_status",
    "bad_status",
    "bad_body",
  ];
  const failures = kinds.reduce((total, kind) => total + n(kind), 0);
  const failureKinds = kinds
    .filter((kind) => n(kind) > 0)
    .map((kind) => `${kind} ${n(kind)}`)
    .join(", ");
  return {
    connections,
    requests: n("requests"),
    rps: n("requests") / (n("duration_us") / 1e6),
    p50Ms: n("p50_us") / 1000,
    p99Ms: n("p99_us") / 1000,
    failures,
    firstFailure: [failureKinds, String(r.first_bad ?? "")].filter(Boolean).join("; "),
  };
}

export function wrkAvailable(): boolean {
  try {
    return fs.existsSync("/usr/bin/wrk") || fs.existsSync("/usr/local/bin/wrk");
  } catch {
    return false;
  }
}
