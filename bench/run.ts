/**
 * `npm run bench`: the gateway against the floor on loopback. See bench/README.md
 * for what is measured and how to read it. Fails (exit 1) when any response is wrong.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { snapshotBuild } from "./build-snapshot";
import { ensureSecrets, startApp, startFloor, startMock, type AppOptions, type RunningArm } from "./arms";
import { measureArms, type ArmResult, type ArmTarget, type Workload } from "./measure";
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
  responsesBody: JSON.stringify({ model: BENCH_MODEL, input: "Say hello.", max_output_tokens: 64, stream: true }),
  expectJson: mockJsonBody(),
  latencyCount: Number(process.env.BENCH_LATENCY_COUNT ?? 2000),
  streamCount: Number(process.env.BENCH_STREAM_COUNT ?? 200),
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? 4),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
};

async function main() {
  if (!wrkAvailable()) throw new Error("wrk is required (Debian: apt-get install -y wrk)");
  ensureSecrets();
  pinSelfToLoadCore();
  const snapshot = snapshotBuild(log, process.env.BENCH_BUILD === "1");
  const buildId = snapshot.buildId;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-logs-"));
  const started = Date.now();
  const results: ArmResult[] = [];
  const running: RunningArm[] = [];
  const targets: ArmTarget[] = [];

  const mock = await startMock();
  running.push(mock);
  try {
    targets.push({ name: "direct mock", origin: mock.origin, pids: () => [], probesOnly: true });
    const app = (database: AppOptions["database"], entry: AppOptions["entry"], extraEnv?: Record<string, string>) => () =>
      startApp({ database, entry, adminDatabaseUrl, logDir, cwd: snapshot.dir, extraEnv }, mock.origin);
    const arms: [string, () => Promise<RunningArm>][] = [
      ["floor", () => startFloor(mock.origin)],
      ["gateway pglite", app("pglite", "server.ts")],
      ["gateway postgres", app("postgres", "server.ts")],
      // An extra /v1 process without Next.js beside the dashboard's (SERVE=gateway, Postgres only).
      ["gateway postgres, SERVE=gateway", app("postgres", "server.ts", { SERVE: "gateway" })],
      ["route handler postgres (next start)", app("postgres", "next-start")],
    ];
    // A/B of two builds in one interleaved run: another checkout, built (`npm run build`).
    const compare = process.env.BENCH_COMPARE;
    if (compare) {
      arms.push([`gateway postgres, build in ${compare}`, () => startApp({ database: "postgres", entry: "server.ts", adminDatabaseUrl, logDir, cwd: compare }, mock.origin)]);
    }
    // All arms stay up for the whole run, so that their phases can be interleaved (measure.ts).
    for (const [name, start] of arms) {
      if (only && !only.some((prefix) => name.startsWith(prefix))) continue;
      log(`${name}: starting`);
      const arm = await start();
      running.push(arm);
      targets.push({ name, origin: arm.origin, apiKey: arm.apiKey, pids: arm.pids });
    }
    results.push(...(await measureArms(targets, "floor", workload, log)));
  } finally {
    for (const arm of running.reverse()) await arm.stop();
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
