/**
 * The run's table (medians over the interleaved rounds; ratios are medians of each round's
 * ratio to the floor's same round) and the targets checked against it.
 */
import type { ArmResult } from "./measure";

export interface TargetCheck {
  target: string;
  arm: string;
  measured: string;
  limit: string;
  met: boolean;
}

const f = (value: number | null | undefined, digits = 2) => (value === null || value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits));
const percent = (ratio: number | null | undefined) => (ratio ? `${(ratio * 100).toFixed(0)}%` : "-");

export function table(results: ArmResult[], direct: ArmResult, floor: ArmResult): string {
  const header = ["arm", "+p50 ms", "+p99 ms", "rps@16", "vs floor", "rps@64", "vs floor", "CPU µs/req", "vs floor", "1st chunk p50 ms", "+vs floor", "responses 1st delta p50 ms", "+vs chat", "RSS MiB", "warm-up s"];
  const rows = results.map((r) => [
    r.name,
    f(r.latency.p50 - direct.latency.p50, 3),
    f(r.latency.p99 - direct.latency.p99, 3),
    f(r.c16?.rps, 0),
    percent(r.c16?.vsFloor),
    f(r.c64?.rps, 0),
    percent(r.c64?.vsFloor),
    f(r.c16?.cpuMicrosPerRequest, 0),
    r.c16?.cpuVsFloor ? `${r.c16.cpuVsFloor.toFixed(2)}×` : "-",
    f(r.stream.p50, 3),
    r === direct ? "-" : f(r.stream.p50 - floor.stream.p50, 3),
    f(r.responsesStream?.p50, 3),
    r.responsesStream ? f(r.responsesStream.p50 - r.stream.p50, 3) : "-",
    f(r.rssMiB, 0),
    r === direct ? "-" : String(r.warmUpSeconds),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The targets, for every server.ts arm (route handlers are a reference only). */
export function checkTargets(results: ArmResult[], floor: ArmResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const r of results.filter((x) => x.name.startsWith("gateway"))) {
    // The median of the per-round ratios: each round measured the floor minutes apart at most.
    const rps = r.c16!.vsFloor!;
    checks.push({ target: "throughput@16 ≥ 70% of floor", arm: r.name, measured: `${(rps * 100).toFixed(0)}%`, limit: "70%", met: rps >= 0.7 });
    const p50 = r.latency.p50 - floor.latency.p50;
    checks.push({ target: "added p50 ≤ floor + 0.3 ms", arm: r.name, measured: `floor + ${p50.toFixed(3)} ms`, limit: "+0.300 ms", met: p50 <= 0.3 });
    const first = r.stream.p50 - floor.stream.p50;
    checks.push({ target: "first chunk ≤ floor + 0.5 ms (all chunks relayed)", arm: r.name, measured: `floor + ${first.toFixed(3)} ms`, limit: "+0.500 ms", met: first <= 0.5 });
    if (r.name.includes("postgres")) {
      checks.push({ target: "RSS ≤ 300 MB after load (Postgres)", arm: r.name, measured: `${r.rssMiB!.toFixed(0)} MiB`, limit: "300 MB", met: r.rssMiB! * 1.048576 <= 300 });
    }
  }
  return checks;
}
