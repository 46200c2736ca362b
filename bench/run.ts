/**
 * `npm run bench`: the gateway against the floor on loopback (issue 5). See bench/README.md
 * for what is measured and how to read it. Fails (exit 1) when any response is wrong.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { snapshotBuild } from "./build-snapshot";
import { ensureSecrets, startApp, startFloor, startMock, type AppOptions, type RunningArm } from "./arms";
import { measureArm, type ArmResult, type Workload } from "./measure";
import { BENCH_MODEL } from "./seed";
import { mockJsonBody } from "./mock-shape";
import { CORES, pinSelfToLoadCore } from "./processes";
import { checkTargets, table } from "./report";
import { wrkAvailable } from "./wrk-load";

const adminDatabaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const only = process.env.BENCH_ARMS?.split(",");
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const request = { model: BENCH_MODEL, messages: [{ role: "user", content: "Say hello." }], max_tokens: 64 };
const workload: Workload = {
  path: "/v1/chat/completions",
  jsonBody: JSON.stringify(request),
  streamBody: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
  expectJson: mockJsonBody(),
  latencyCount: Number(process.env.BENCH_LATENCY_COUNT ?? 2000),
  streamCount: Number(process.env.BENCH_STREAM_COUNT ?? 200),
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 5),
};

async function withArm(name: string, start: () => Promise<RunningArm>, results: ArmResult[]): Promise<void> {
  if (only && !only.some((prefix) => name.startsWith(prefix))) return;
  log(`${name}: starting`);
  const arm = await start();
  try {
    results.push(await measureArm({ name, origin: arm.origin, apiKey: arm.apiKey, pids: arm.pids }, workload, log));
  } finally {
    await arm.stop();
  }
}

async function main() {
  if (!wrkAvailable()) throw new Error("wrk is required (Debian: apt-get install -y wrk)");
  ensureSecrets();
  pinSelfToLoadCore();
  const snapshot = snapshotBuild(log, process.env.BENCH_BUILD === "1");
  const buildId = snapshot.buildId;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-logs-"));
  const started = Date.now();
  const results: ArmResult[] = [];

  const mock = await startMock();
  try {
    log("direct: the mock upstream itself");
    const direct = await measureArm({ name: "direct mock", origin: mock.origin, pids: () => [], probesOnly: true }, workload, log);
    results.push(direct);
    await withArm("floor", () => startFloor(mock.origin), results);
    const app = (database: AppOptions["database"], entry: AppOptions["entry"], extraEnv?: Record<string, string>) => () =>
      startApp({ database, entry, adminDatabaseUrl, logDir, cwd: snapshot.dir, extraEnv }, mock.origin);
    await withArm("gateway pglite", app("pglite", "server.ts"), results);
    await withArm("gateway postgres", app("postgres", "server.ts"), results);
    // An extra /v1 process without Next.js beside the dashboard's (SERVE=gateway, Postgres only).
    await withArm("gateway postgres, SERVE=gateway", app("postgres", "server.ts", { SERVE: "gateway" }), results);
    await withArm("route handler postgres (next start)", app("postgres", "next-start"), results);
  } finally {
    await mock.stop();
    snapshot.remove();
  }

  const floor = results.find((r) => r.name === "floor");
  const direct = results[0];
  console.log(`\nModelBridge bench — ${new Date().toISOString()}, build ${buildId}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(CORES ? `pinned: servers on core ${CORES.server}; mock upstream, wrk and probes on core ${CORES.load}` : "not pinned (no taskset)");
  console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (other work on this machine shows here)\n`);
  if (floor) console.log(table(results, direct, floor));
  const checks = floor ? checkTargets(results, floor) : [];
  if (checks.length > 0) {
    console.log("\nTargets:");
    for (const c of checks) console.log(`  ${c.met ? "MET " : "MISS"}  ${c.arm}: ${c.target} — ${c.measured}`);
  }
  fs.mkdirSync("bench/results", { recursive: true });
  const file = path.join("bench/results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      { at: new Date().toISOString(), buildId, node: process.version, cores: os.cpus().length, pinning: CORES, loadAverage: os.loadavg(), workload, results, targets: checks, seconds: (Date.now() - started) / 1000 },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${file}; server logs in ${logDir}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
