/**
 * The phases run against every arm, in order: warm-up, latency at concurrency 1, throughput
 * at 16 and 64 connections (with the server's CPU time over each), streams, then RSS.
 * Any failed check throws, which fails the run.
 */
import { latencyProbe, ProbeFailure, streamProbe, type Percentiles } from "./probes";
import { cpuMicros, rssMiB } from "./processes";
import { wrkLoad, type WrkResult } from "./wrk-load";

export interface Workload {
  path: string;
  jsonBody: string;
  streamBody: string;
  expectJson: string;
  latencyCount: number;
  streamCount: number;
  loadSeconds: number;
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

export interface ThroughputPhase extends WrkResult {
  cpuMicrosPerRequest: number | null;
}

export interface ArmResult {
  name: string;
  latency: Percentiles;
  stream: Percentiles;
  c16: ThroughputPhase | null;
  c64: ThroughputPhase | null;
  rssMiB: number | null;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function throughput(arm: ArmTarget, w: Workload, connections: number): Promise<ThroughputPhase> {
  const pids = arm.pids();
  const before = sum(pids.map(cpuMicros));
  const result = await wrkLoad({ url: arm.origin + w.path, body: w.jsonBody, expectBody: w.expectJson, apiKey: arm.apiKey }, connections, w.loadSeconds);
  const after = sum(pids.map(cpuMicros));
  if (result.failures > 0 || result.requests === 0) {
    throw new ProbeFailure(`${arm.name} at ${connections} connections: ${result.failures} failed of ${result.requests} (${result.firstFailure})`);
  }
  return { ...result, cpuMicrosPerRequest: pids.length > 0 ? (after - before) / result.requests : null };
}

export async function measureArm(arm: ArmTarget, w: Workload, log: (line: string) => void): Promise<ArmResult> {
  log(`${arm.name}: warm-up`);
  await latencyProbe(arm.origin, w.path, w.jsonBody, w.expectJson, 300, arm.apiKey);
  await streamProbe(arm.origin, w.path, w.streamBody, 20, arm.apiKey);
  if (!arm.probesOnly) await wrkLoad({ url: arm.origin + w.path, body: w.jsonBody, expectBody: w.expectJson, apiKey: arm.apiKey }, 16, 2);

  log(`${arm.name}: latency at concurrency 1`);
  const latency = await latencyProbe(arm.origin, w.path, w.jsonBody, w.expectJson, w.latencyCount, arm.apiKey);
  let c16: ThroughputPhase | null = null;
  let c64: ThroughputPhase | null = null;
  if (!arm.probesOnly) {
    log(`${arm.name}: throughput at 16 and 64 connections`);
    c16 = await throughput(arm, w, 16);
    c64 = await throughput(arm, w, 64);
  }
  log(`${arm.name}: streams`);
  const stream = await streamProbe(arm.origin, w.path, w.streamBody, w.streamCount, arm.apiKey);
  const pids = arm.pids();
  return { name: arm.name, latency, stream, c16, c64, rssMiB: pids.length > 0 ? sum(pids.map(rssMiB)) : null };
}
