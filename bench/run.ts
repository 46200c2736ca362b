/**
 * `npm run bench`: the gateway against the floor on loopback. See bench/README.md for what is
 * measured and how to read it. Fails (exit 1) when any response is wrong.
 * BENCH_QUICK=1: one round of short phases (under ~4 minutes); BENCH_METHOD=independent: the
 * independent benchmark's method (fixed warm-up, upstream answering at once).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { snapshotBuild } from "./build-snapshot";
import {
  ensureSecrets,
  startApp,
  startFloor,
  startMock,
  type AppOptions,
  type RunningArm,
} from "./arms";
import { compileHelpers } from "./compile-helpers";
import { measureArms, type ArmResult, type ArmTarget, type Workload } from "./measure";
import { BENCH_MODEL } from "./seed";
import { mockJsonBody, streamExpectLines } from "./mock-shape";
import { CORES, pinSelfToLoadCore } from "./processes";
import { summarizeProfile } from "./profile-summary";
import { checkTargets, table } from "./report";
import { wrkAvailable } from "./wrk-load";
import { hangingCollector, pairedRows, pairedTable } from "./paired";
import { freePort } from "../tests/helpers/processes";

const adminDatabaseUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const quick = process.env.BENCH_QUICK === "1" || process.argv.includes("--quick");
const independent = process.env.BENCH_METHOD === "independent";
const profile = process.env.BENCH_PROFILE !== "0";
const log = (line: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// The independent benchmark's request; it also answered at once (no upstream latency).
if (independent) process.env.BENCH_UPSTREAM_LATENCY_MS ??= "0";
const request = {
  model: BENCH_MODEL,
  messages: [{ role: "user", content: independent ? "ping" : "Say hello." }],
  max_tokens: 64,
};
const number = (name: string, normal: number, short: number) =>
  Number(process.env[name] ?? (quick ? short : normal));
const workload: Workload = {
  path: "/v1/chat/completions",
  jsonBody: JSON.stringify(request),
  streamBody: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
  responsesBody: JSON.stringify({
    model: BENCH_MODEL,
    input: "Say hello.",
    max_output_tokens: 64,
    stream: true,
  }),
  expectJson: mockJsonBody(),
  expectStreamLines: streamExpectLines(),
  latencyCount: number("BENCH_LATENCY_COUNT", 2000, 400),
  streamCount: number("BENCH_STREAM_COUNT", 200, 40),
  loadSeconds: number("BENCH_LOAD_SECONDS", 4, 2),
  rounds: number("BENCH_ROUNDS", 3, 1),
  // The independent run's warm-ups: 3 s on the embedded database, 10 s on Postgres.
  warmUpSeconds: independent ? (arm: ArmTarget) => (arm.name.includes("postgres") ? 10 : 3) : null,
  warmUpMaxSeconds: number("BENCH_WARMUP_MAX_SECONDS", 20, 8),
};

interface Arm {
  name: string;
  start: (nodeArgs: string[]) => Promise<RunningArm>;
  /** Not run unless named in BENCH_EXTRA. */
  optional?: boolean;
  /** Gets --cpu-prof (a node process of ours, not `next start`'s). */
  profiled?: boolean;
  /** Also compared round by round with this arm of the same run (paired.ts). */
  baseline?: string;
}

function selected(arm: Arm): boolean {
  const list = (name: string) =>
    process.env[name]
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (arm.optional)
    return list("BENCH_EXTRA")?.some((prefix) => arm.name.startsWith(prefix)) ?? false;
  return list("BENCH_ARMS")?.some((prefix) => arm.name.startsWith(prefix)) ?? true;
}

async function main() {
  if (!wrkAvailable()) throw new Error("wrk is required (Debian: apt-get install -y wrk)");
  ensureSecrets();
  pinSelfToLoadCore();
  const snapshot = snapshotBuild(log, process.env.BENCH_BUILD === "1");
  const helpers = compileHelpers();
  const buildId = snapshot.buildId;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-logs-"));
  const started = Date.now();
  const results: ArmResult[] = [];
  const running: RunningArm[] = [];
  const targets: ArmTarget[] = [];
  const profileDirs = new Map<string, string>();
  const pairs = new Map<string, string>();

  const mock = await startMock(helpers.mock);
  running.push(mock);
  // The tracing arms' collectors: a port where nothing listens, and one that never answers.
  const downCollector = `http://127.0.0.1:${await freePort()}`;
  const hungCollector = await hangingCollector();
  try {
    targets.push({ name: "direct mock", origin: mock.origin, pids: () => [], probesOnly: true });
    const app =
      (
        database: AppOptions["database"],
        entry: AppOptions["entry"],
        extraEnv?: Record<string, string>,
        cwd = snapshot.dir,
        unpinned = false,
        keyControls = false,
      ) =>
      (nodeArgs: string[]) =>
        startApp(
          {
            database,
            entry,
            adminDatabaseUrl,
            logDir,
            cwd,
            extraEnv,
            nodeArgs,
            unpinned,
            keyControls,
          },
          mock.origin,
        );
    const arms: Arm[] = [
      {
        name: "floor",
        start: (nodeArgs) => startFloor(mock.origin, helpers.floor, { nodeArgs }),
        profiled: true,
      },
      // The floor as this benchmark used to run it: what tsx alone did to the old ratios.
      {
        name: "floor under tsx",
        start: (nodeArgs) => startFloor(mock.origin, helpers.floor, { underTsx: true, nodeArgs }),
        optional: true,
        profiled: true,
      },
      { name: "gateway pglite", start: app("pglite", "server.ts"), profiled: true },
      { name: "gateway postgres", start: app("postgres", "server.ts"), profiled: true },
      // The same with a key that also has an allowed-models list and RPM/TPM limits: what the
      // controls cost on the hot path (they must not add a database round trip per request).
      {
        name: "gateway pglite, key controls",
        start: app("pglite", "server.ts", undefined, snapshot.dir, false, true),
        profiled: true,
      },
      {
        name: "gateway postgres, key controls",
        start: app("postgres", "server.ts", undefined, snapshot.dir, false, true),
        profiled: true,
      },
      // An extra /v1 process without Next.js beside the dashboard's (SERVE=gateway, Postgres only).
      {
        name: "gateway postgres, SERVE=gateway",
        start: app("postgres", "server.ts", { SERVE: "gateway" }),
        optional: true,
        profiled: true,
      },
      {
        name: "route handler postgres (next start)",
        start: app("postgres", "next-start"),
        optional: true,
      },
      // All the cores (npm start's cluster): 1 and 2 processes, neither pinned, so both share
      // the second core with the load side. Compare these two with each other, not with the floor.
      {
        name: "cluster postgres, 1 process",
        start: app("postgres", "server.ts", { WEB_CONCURRENCY: "1" }, snapshot.dir, true),
        optional: true,
      },
      {
        name: "cluster postgres, 2 processes",
        start: app("postgres", "server.ts", { WEB_CONCURRENCY: "2" }, snapshot.dir, true),
        optional: true,
      },
      // Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set, default sampler: every request traced)
      // with the collector down, against the same gateway with tracing off (BENCH_EXTRA=tracing).
      {
        name: "tracing on, collector down (pglite)",
        start: app("pglite", "server.ts", { OTEL_EXPORTER_OTLP_ENDPOINT: downCollector }),
        optional: true,
        profiled: true,
        baseline: "gateway pglite",
      },
      {
        name: "tracing on, collector hangs (pglite)",
        start: app("pglite", "server.ts", { OTEL_EXPORTER_OTLP_ENDPOINT: hungCollector.url }),
        optional: true,
        profiled: true,
        baseline: "gateway pglite",
      },
      // Usage rows committed before each charged answer ends instead of every flush interval
      // (GATEWAY_USAGE_COMMIT=durable): what that costs against the default, batched
      // (BENCH_EXTRA=durable).
      {
        name: "durable commits (pglite)",
        start: app("pglite", "server.ts", { GATEWAY_USAGE_COMMIT: "durable" }),
        optional: true,
        profiled: true,
        baseline: "gateway pglite",
      },
      {
        name: "durable commits (postgres)",
        start: app("postgres", "server.ts", { GATEWAY_USAGE_COMMIT: "durable" }),
        optional: true,
        profiled: true,
        baseline: "gateway postgres",
      },
    ];
    // A/B of two builds in one interleaved run: another checkout, built (`npm run build`).
    const compare = process.env.BENCH_COMPARE;
    if (compare) {
      arms.push({
        name: "gateway pglite, compared build",
        start: app("pglite", "server.ts", undefined, compare),
        profiled: true,
      });
      arms.push({
        name: "gateway postgres, compared build",
        start: app("postgres", "server.ts", undefined, compare),
        profiled: true,
      });
    }
    // All arms stay up for the whole run, so that their phases can be interleaved (measure.ts).
    for (const arm of arms.filter(selected)) {
      log(`${arm.name}: starting`);
      if (arm.baseline) pairs.set(arm.name, arm.baseline);
      let nodeArgs: string[] = [];
      if (profile && arm.profiled) {
        // A 2 ms sampling interval: every profiled arm (the floor too) pays the same small cost.
        const dir = path.join(logDir, "profiles", arm.name.replace(/[^a-z0-9]+/gi, "-"));
        fs.mkdirSync(dir, { recursive: true });
        profileDirs.set(arm.name, dir);
        nodeArgs = ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=2000"];
      }
      const started = await arm.start(nodeArgs);
      running.push(started);
      targets.push({
        name: arm.name,
        origin: started.origin,
        apiKey: started.apiKey,
        pids: started.pids,
      });
    }
    results.push(...(await measureArms(targets, "floor", workload, log)));
  } finally {
    for (const arm of running.reverse()) await arm.stop();
    await hungCollector.close();
    snapshot.remove();
    helpers.remove();
  }

  const floor = results.find((r) => r.name === "floor");
  const direct = results[0];
  const method = independent
    ? "independent method (fixed warm-up 3 s / 10 s, upstream answers at once)"
    : "until-steady warm-up";
  console.log(
    `\nModelBridge bench — ${new Date().toISOString()}, build ${buildId}, ${os.cpus().length} cores, node ${process.version}`,
  );
  console.log(
    `${quick ? "QUICK (1 round, short phases)" : `${workload.rounds} rounds`}, ${method}, upstream latency ${process.env.BENCH_UPSTREAM_LATENCY_MS ?? 1} ms, ${workload.loadSeconds} s per load phase`,
  );
  console.log(
    CORES
      ? `pinned: servers on core ${CORES.server}; mock upstream, wrk and probes on core ${CORES.load}`
      : "not pinned (no taskset)",
  );
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (other work on this machine shows here)\n`,
  );
  if (floor) console.log(table(results, direct, floor));
  const paired = pairedRows(results, pairs);
  if (paired.length > 0) {
    console.log("\nPaired with their baseline arm (median of per-round ratios, same run):");
    console.log(pairedTable(paired));
  }
  const checks = floor ? checkTargets(results, floor) : [];
  if (checks.length > 0) {
    console.log("\nTargets:");
    for (const c of checks)
      console.log(`  ${c.met ? "MET " : "MISS"}  ${c.arm}: ${c.target} — ${c.measured}`);
  }
  const profiles: Record<string, string[]> = {};
  for (const [name, dir] of profileDirs) {
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) continue;
    profiles[name] = summarizeProfile(path.join(dir, file), 12, undefined, false);
    console.log(`\nCPU profile, ${name} (whole run, main thread): ${profiles[name].join("\n")}`);
  }
  fs.mkdirSync("bench/results", { recursive: true });
  const file = path.join("bench/results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        buildId,
        node: process.version,
        cores: os.cpus().length,
        pinning: CORES,
        quick,
        independent,
        loadAverage: os.loadavg(),
        workload: { ...workload, warmUpSeconds: undefined },
        results,
        targets: checks,
        paired,
        profiles,
        seconds: (Date.now() - started) / 1000,
      },
      null,
      2,
    ),
  );
  console.log(
    `\nwrote ${file}; server logs and profiles in ${logDir}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
