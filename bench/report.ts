/**
 * The run's tables (medians over the interleaved rounds; ratios are medians of each round's
 * ratio to the floor's same round) and the targets checked against them.
 */
import type { ArmResult, ThroughputPhase } from "./measure";

export interface TargetCheck {
  target: string;
  arm: string;
  measured: string;
  limit: string;
  met: boolean;
}

const f = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
const ratio = (value: number | null | undefined) => (value ? value.toFixed(2) : "-");

function render(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

const rps = (phase: ThroughputPhase | null) => [f(phase?.rps, 0), ratio(phase?.vsFloor)];

/** One row per arm and kind (JSON, stream): what the targets are stated in. */
export function table(results: ArmResult[], direct: ArmResult, floor: ArmResult): string {
  const header = [
    "arm",
    "kind",
    "rps@16",
    "vs floor",
    "rps@64",
    "vs floor",
    "CPU µs/req@16",
    "vs floor",
    "+p50 ms vs floor",
    "1st chunk +ms vs floor",
    "RSS MiB",
    "warm-up s",
  ];
  const rows: string[][] = [];
  for (const r of results.filter((x) => x !== direct)) {
    const cpu = (phase: ThroughputPhase | null) => [
      f(phase?.cpuMicrosPerRequest, 0),
      phase?.cpuVsFloor ? `${phase.cpuVsFloor.toFixed(2)}×` : "-",
    ];
    rows.push([
      r.name,
      "JSON",
      ...rps(r.c16),
      ...rps(r.c64),
      ...cpu(r.c16),
      f(r.latency.p50 - floor.latency.p50, 3),
      "",
      f(r.rssMiB, 0),
      String(r.warmUpSeconds),
    ]);
    rows.push([
      "",
      "stream",
      ...rps(r.s16),
      ...rps(r.s64),
      ...cpu(r.s16),
      "",
      f(r.stream.p50 - floor.stream.p50, 3),
      "",
      "",
    ]);
  }
  const absolute = render(
    ["arm", "p50 ms", "p99 ms", "1st chunk p50 ms", "responses 1st delta p50 ms"],
    results.map((r) => [
      r.name,
      f(r.latency.p50, 3),
      f(r.latency.p99, 3),
      f(r.stream.p50, 3),
      f(r.responsesStream?.p50, 3),
    ]),
  );
  return `${render(header, rows)}\n\nLatency at concurrency 1 (absolute):\n${absolute}`;
}

/** The targets, for every server.ts arm (route handlers are a reference only). */
export function checkTargets(results: ArmResult[], floor: ArmResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const r of results.filter((x) => x.name.startsWith("gateway"))) {
    // The median of the per-round ratios: each round measured the floor minutes apart at most.
    for (const [kind, phase] of [
      ["JSON", r.c16],
      ["stream", r.s16],
    ] as const) {
      const value = phase?.vsFloor ?? 0;
      checks.push({
        target: `${kind} throughput@16 ≥ 0.85 × floor`,
        arm: r.name,
        measured: value.toFixed(2),
        limit: "0.85",
        met: value >= 0.85,
      });
    }
    const p50 = r.latency.p50 - floor.latency.p50;
    checks.push({
      target: "added p50 ≤ floor + 0.2 ms",
      arm: r.name,
      measured: `floor + ${p50.toFixed(3)} ms`,
      limit: "+0.200 ms",
      met: p50 <= 0.2,
    });
    const first = r.stream.p50 - floor.stream.p50;
    checks.push({
      target: "first chunk ≤ floor + 0.5 ms (all chunks relayed)",
      arm: r.name,
      measured: `floor + ${first.toFixed(3)} ms`,
      limit: "+0.500 ms",
      met: first <= 0.5,
    });
    const mb = (r.rssMiB ?? 0) * 1.048576;
    checks.push({
      target: "RSS ≤ 300 MB after load",
      arm: r.name,
      measured: `${mb.toFixed(0)} MB`,
      limit: "300 MB",
      met: mb <= 300,
    });
  }
  return checks;
}
