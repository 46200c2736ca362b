/**
 * The phases, run against all arms at once (every arm's processes stay up for the whole run)
 * and interleaved round by round: warm-up until steady, latency at concurrency 1,
 * throughput at 16 and 64 connections (with the server's CPU time over each), streams,
 * then RSS. These machines are shared VMs whose speed drifts by tens of percent within
 * minutes; measuring the floor and the gateway in alternating rounds, and taking medians of
 * the per-round ratios, keeps that drift out of the ratios. Any failed check throws, which
 * fails the run.
 */
import {
  latencyProbe,
  percentiles,
  ProbeFailure,
  responsesStreamProbe,
  streamProbe,
  type Percentiles,
} from "./probes";
import { cpuMicros, rssMiB } from "./processes";
import { wrkLoad, type WrkResult } from "./wrk-load";

export interface Workload {
  path: string;
  jsonBody: string;
  streamBody: string;
  /** A streamed /v1/responses request, for the arms that speak it (the gateway's). */
  responsesBody: string;
  expectJson: string;
  /** wrk-check.lua's stream mode: what every relayed stream must contain, in order. */
  expectStreamLines: string;
  latencyCount: number;
  streamCount: number;
  loadSeconds: number;
  rounds: number;
  /** Fixed warm-up seconds per arm (the independent method); null: until the CPU per request is steady. */
  warmUpSeconds: ((arm: ArmTarget) => number) | null;
  /** Upper bound of the until-steady warm-up, in seconds. */
  warmUpMaxSeconds: number;
}

export interface ArmTarget {
  name: string;
  origin: string;
  apiKey?: string;
  /** The server's pids (CPU and RSS are summed over them); empty for the direct mock. */
  pids: () => number[];
  /** Only latency and streams (the direct mock: there is no server to load). */
  probesOnly?: boolean;
}

export interface ThroughputRound extends WrkResult {
  cpuMicrosPerRequest: number | null;
}

/** Medians over the rounds; `vsFloor` is the median of each round's ratio to the floor's same round. */
export interface ThroughputPhase {
  rps: number;
  cpuMicrosPerRequest: number | null;
  vsFloor: number | null;
  cpuVsFloor: number | null;
  rounds: ThroughputRound[];
}

export interface ArmResult {
  name: string;
  warmUpSeconds: number;
  latency: Percentiles;
  stream: Percentiles;
  /** First text delta of a streamed /v1/responses translated onto the mock's chat stream; null for arms that do not speak it. */
  responsesStream: Percentiles | null;
  c16: ThroughputPhase | null;
  c64: ThroughputPhase | null;
  /** wrk on streamed requests (every stream checked whole). */
  s16: ThroughputPhase | null;
  s64: ThroughputPhase | null;
  rssMiB: number | null;
}

type Log = (line: string) => void;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

type Kind = "json" | "stream";

async function loadRound(
  arm: ArmTarget,
  w: Workload,
  connections: number,
  seconds: number,
  kind: Kind = "json",
): Promise<ThroughputRound> {
  const pids = arm.pids();
  const before = sum(pids.map(cpuMicros));
  const target =
    kind === "json"
      ? { url: arm.origin + w.path, body: w.jsonBody, expectBody: w.expectJson, apiKey: arm.apiKey }
      : {
          url: arm.origin + w.path,
          body: w.streamBody,
          expectBody: w.expectStreamLines,
          expectMode: "stream" as const,
          apiKey: arm.apiKey,
        };
  const result = await wrkLoad(target, connections, seconds);
  const after = sum(pids.map(cpuMicros));
  if (result.failures > 0 || result.requests === 0) {
    throw new ProbeFailure(
      `${arm.name}, ${kind} at ${connections} connections: ${result.failures} failed of ${result.requests} (${result.firstFailure})`,
    );
  }
  return {
    ...result,
    cpuMicrosPerRequest: pids.length > 0 ? (after - before) / result.requests : null,
  };
}

const WARM_MIN_ROUNDS = 3;

/**
 * Load in 1 s rounds until the CPU per request stops falling (two rounds in a row no more
 * than 10% below the best before them), at least 3 s and at most 20 s. The JIT needs several seconds of
 * load to settle on the gateway's code (measured: ~580 → ~95 µs/req over the first 5 s),
 * against ~2 s for the floor's: a fixed short warm-up measured the gateway still compiling.
 */
async function warmUntilSteady(arm: ArmTarget, w: Workload, log: Log): Promise<number> {
  await latencyProbe(arm.origin, w.path, w.jsonBody, w.expectJson, 300, arm.apiKey);
  await streamProbe(arm.origin, w.path, w.streamBody, 20, arm.apiKey);
  if (arm.probesOnly) return 0;
  if (w.warmUpSeconds) {
    // The independent method: a fixed warm-up, half JSON and half streams.
    const seconds = w.warmUpSeconds(arm);
    await loadRound(arm, w, 16, Math.max(1, Math.ceil(seconds / 2)), "json");
    await loadRound(arm, w, 16, Math.max(1, Math.floor(seconds / 2)), "stream");
    return seconds;
  }
  await loadRound(arm, w, 16, 1, "stream");
  const WARM_MAX_ROUNDS = w.warmUpMaxSeconds;
  const cpu: number[] = [];
  let steady = 0;
  for (let round = 1; round <= WARM_MAX_ROUNDS; round++) {
    const now = (await loadRound(arm, w, 16, 1)).cpuMicrosPerRequest ?? 0;
    // Steady: no longer more than 10% below the best second before it.
    steady = cpu.length > 0 && now >= Math.min(...cpu) * 0.9 ? steady + 1 : 0;
    cpu.push(now);
    if (round >= WARM_MIN_ROUNDS && steady >= 2) {
      log(
        `${arm.name}: warm after ${round} s (CPU µs/req by second: ${cpu.map((c) => c.toFixed(0)).join(" ")})`,
      );
      return round;
    }
  }
  log(
    `${arm.name}: not steady after ${WARM_MAX_ROUNDS} s (CPU µs/req by second: ${cpu.map((c) => c.toFixed(0)).join(" ")})`,
  );
  return WARM_MAX_ROUNDS;
}

function throughputPhase(
  rounds: ThroughputRound[],
  floorRounds: ThroughputRound[] | null,
): ThroughputPhase {
  const cpu = rounds.map((r) => r.cpuMicrosPerRequest).filter((c): c is number => c !== null);
  const ratios = floorRounds ? rounds.map((r, i) => r.rps / floorRounds[i].rps) : null;
  const cpuRatios = floorRounds
    ? rounds.map(
        (r, i) => (r.cpuMicrosPerRequest ?? NaN) / (floorRounds[i].cpuMicrosPerRequest ?? NaN),
      )
    : null;
  return {
    rps: median(rounds.map((r) => r.rps)),
    cpuMicrosPerRequest: cpu.length > 0 ? median(cpu) : null,
    vsFloor: ratios ? median(ratios) : null,
    cpuVsFloor: cpuRatios && cpuRatios.every(Number.isFinite) ? median(cpuRatios) : null,
    rounds,
  };
}

/** Every phase for every arm; `floorName` is the arm the ratios are taken against. */
export async function measureArms(
  arms: ArmTarget[],
  floorName: string,
  w: Workload,
  log: Log,
): Promise<ArmResult[]> {
  const warmUp = new Map<string, number>();
  for (const arm of arms) {
    log(`${arm.name}: warm-up`);
    warmUp.set(arm.name, await warmUntilSteady(arm, w, log));
  }

  const latency = new Map<string, number[]>(arms.map((a) => [a.name, []]));
  const streams = new Map<string, number[]>(arms.map((a) => [a.name, []]));
  const speaksResponses = (arm: ArmTarget) =>
    arm.name.startsWith("gateway") || arm.name.startsWith("route handler");
  const responses = new Map<string, number[]>(
    arms.filter(speaksResponses).map((a) => [a.name, []]),
  );
  const loaded = arms.filter((a) => !a.probesOnly);
  const load = new Map<string, Record<"c16" | "c64" | "s16" | "s64", ThroughputRound[]>>(
    loaded.map((a) => [a.name, { c16: [], c64: [], s16: [], s64: [] }]),
  );
  const perRound = (total: number) => Math.max(1, Math.round(total / w.rounds));

  for (let round = 1; round <= w.rounds; round++) {
    log(
      `round ${round}/${w.rounds}: latency at concurrency 1, throughput at 16 and 64 connections, streams`,
    );
    for (const arm of arms) {
      latency
        .get(arm.name)!
        .push(
          ...(await latencyProbe(
            arm.origin,
            w.path,
            w.jsonBody,
            w.expectJson,
            perRound(w.latencyCount),
            arm.apiKey,
          )),
        );
    }
    for (const connections of [16, 64] as const) {
      for (const arm of loaded)
        load
          .get(arm.name)!
          [`c${connections}`].push(await loadRound(arm, w, connections, w.loadSeconds));
    }
    for (const connections of [16, 64] as const) {
      for (const arm of loaded)
        load
          .get(arm.name)!
          [`s${connections}`].push(await loadRound(arm, w, connections, w.loadSeconds, "stream"));
    }
    for (const arm of arms) {
      streams
        .get(arm.name)!
        .push(
          ...(await streamProbe(
            arm.origin,
            w.path,
            w.streamBody,
            perRound(w.streamCount),
            arm.apiKey,
          )),
        );
    }
    for (const arm of arms.filter(speaksResponses)) {
      responses
        .get(arm.name)!
        .push(
          ...(await responsesStreamProbe(
            arm.origin,
            w.responsesBody,
            perRound(w.streamCount),
            arm.apiKey,
          )),
        );
    }
  }

  const floorLoad = load.get(floorName) ?? null;
  return arms.map((arm) => {
    const pids = arm.pids();
    const rounds = load.get(arm.name);
    return {
      name: arm.name,
      warmUpSeconds: warmUp.get(arm.name) ?? 0,
      latency: percentiles(latency.get(arm.name)!),
      stream: percentiles(streams.get(arm.name)!),
      responsesStream: responses.has(arm.name) ? percentiles(responses.get(arm.name)!) : null,
      c16: rounds ? throughputPhase(rounds.c16, floorLoad?.c16 ?? null) : null,
      c64: rounds ? throughputPhase(rounds.c64, floorLoad?.c64 ?? null) : null,
      s16: rounds ? throughputPhase(rounds.s16, floorLoad?.s16 ?? null) : null,
      s64: rounds ? throughputPhase(rounds.s64, floorLoad?.s64 ?? null) : null,
      rssMiB: pids.length > 0 ? sum(pids.map(rssMiB)) : null,
    };
  });
}
