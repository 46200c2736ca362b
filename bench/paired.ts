/**
 * An arm measured against another arm of the same run rather than the floor: "tracing on,
 * collector down" against "gateway pglite" (tracing off). Each ratio is the median of the
 * per-round ratios (the two arms ran back to back in each round), as the floor ratios are,
 * so the machine's drift between rounds stays out of it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ArmResult, ThroughputPhase } from "./measure";

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function roundRatios(
  arm: ThroughputPhase | null,
  base: ThroughputPhase | null,
  pick: (round: ThroughputPhase["rounds"][number]) => number | null,
): number | null {
  if (!arm || !base) return null;
  const ratios: number[] = [];
  arm.rounds.forEach((round, i) => {
    const a = pick(round);
    const b = base.rounds[i] ? pick(base.rounds[i]) : null;
    if (a !== null && b !== null && b > 0) ratios.push(a / b);
  });
  return ratios.length ? median(ratios) : null;
}

export interface PairedRow {
  arm: string;
  baseline: string;
  rps16: number | null;
  rps64: number | null;
  cpu16: number | null;
  streamRps16: number | null;
  streamCpu16: number | null;
  p50AddedMs: number;
  firstChunkAddedMs: number;
}

export function pairedRows(results: ArmResult[], pairs: Map<string, string>): PairedRow[] {
  const rows: PairedRow[] = [];
  for (const [armName, baselineName] of pairs) {
    const arm = results.find((r) => r.name === armName);
    const base = results.find((r) => r.name === baselineName);
    if (!arm || !base) continue;
    rows.push({
      arm: armName,
      baseline: baselineName,
      rps16: roundRatios(arm.c16, base.c16, (r) => r.rps),
      rps64: roundRatios(arm.c64, base.c64, (r) => r.rps),
      cpu16: roundRatios(arm.c16, base.c16, (r) => r.cpuMicrosPerRequest),
      streamRps16: roundRatios(arm.s16, base.s16, (r) => r.rps),
      streamCpu16: roundRatios(arm.s16, base.s16, (r) => r.cpuMicrosPerRequest),
      p50AddedMs: arm.latency.p50 - base.latency.p50,
      firstChunkAddedMs: arm.stream.p50 - base.stream.p50,
    });
  }
  return rows;
}

export function pairedTable(rows: PairedRow[]): string {
  const x = (v: number | null) => (v === null ? "-" : `${v.toFixed(3)}×`);
  const lines = [
    "| arm | vs | rps@16 | rps@64 | CPU µs/req@16 | stream rps@16 | stream CPU µs/req@16 | +p50 ms | +1st chunk ms |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.arm} | ${r.baseline} | ${x(r.rps16)} | ${x(r.rps64)} | ${x(r.cpu16)} | ${x(r.streamRps16)} | ${x(r.streamCpu16)} | ${r.p50AddedMs.toFixed(3)} | ${r.firstChunkAddedMs.toFixed(3)} |`,
    );
  return lines.join("\n");
}

/** An OTLP collector that reads every export and never answers (the worst kind of down). */
export async function hangingCollector(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req) => req.resume());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
