/**
 * Reads a V8 .cpuprofile (from `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…" npm run bench`)
 * and prints where the time went: self time by function and by file or package, and total
 * (inclusive) time for the frames that matter. Usage: tsx bench/profile-summary.ts <file> [N];
 * `npm run bench` prints the compact form (busy time only, top N) for each profiled arm.
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarizeProfile(file: string, top = 30, window?: string, detail = true): string[] {
  const lines: string[] = [];
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const [fromS, toS] = window ? window.split("-").map(Number) : [0, Infinity];

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  // Only samples inside the window (seconds from the profile's start): e.g. one load phase,
  // without start-up. The per-second busy share below shows where the phases are.
  const selfUs = new Map<number, number>();
  const idleIds = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id),
  );
  const busyPerSecond: number[] = [];
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const second = Math.floor(at / 1e6);
    if (!idleIds.has(id)) busyPerSecond[second] = (busyPerSecond[second] ?? 0) + delta;
    if (at / 1e6 < fromS || at / 1e6 > toS) return;
    // The compact summary is of busy time only: "(idle)" is the thread waiting in epoll.
    if (!detail && idleIds.has(id)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const shortUrl = (url: string) => {
    const nm = url.lastIndexOf("node_modules/");
    if (nm >= 0) {
      const rest = url.slice(nm + 13).split("/");
      return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    }
    // The compiled server (dist/server.mjs) from a bench snapshot or the work tree.
    const dist = url.indexOf("dist/server.mjs");
    if (dist >= 0) return url.slice(dist);
    return url.replace(/^file:\/\/\/work\/main\//, "") || "(native/idle)";
  };
  const label = (node: ProfileNode) =>
    `${node.callFrame.functionName || "(anonymous)"} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

  function tally(key: (node: ProfileNode) => string): [string, number][] {
    const sums = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const name = key(byId.get(id)!);
      sums.set(name, (sums.get(name) ?? 0) + us);
    }
    return [...sums].sort((a, b) => b[1] - a[1]);
  }

  // Inclusive: each sample counts once for every distinct frame on its stack.
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }

  const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
  if (!detail) {
    lines.push(
      `${(totalUs / 1e6).toFixed(1)} s busy on the main thread; self time by package, then by function:`,
    );
    for (const [name, us] of tally((n) => shortUrl(n.callFrame.url)).slice(0, 6))
      lines.push(`  ${pct(us)}  ${name}`);
    for (const [name, us] of tally(label).slice(0, top)) lines.push(`  ${pct(us)}  ${name}`);
    return lines;
  }
  lines.push(`${file}: ${(totalUs / 1e6).toFixed(2)} s sampled in the window`);
  lines.push(
    `busy % per second: ${Array.from(busyPerSecond, (us, i) => `${i}:${Math.round((us ?? 0) / 1e4)}`).join(" ")}`,
  );
  lines.push("\nself time by file/package:");
  for (const [name, us] of tally((n) => shortUrl(n.callFrame.url)).slice(0, 15))
    lines.push(`  ${pct(us)}  ${name}`);
  lines.push("\nself time by function:");
  for (const [name, us] of tally(label).slice(0, top)) lines.push(`  ${pct(us)}  ${name}`);
  lines.push("\ninclusive time (app and gateway frames):");
  for (const [name, us] of [...inclusive]
    .filter(([n]) => /lib\/|db\/|server\.(ts|mjs)/.test(n))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    lines.push(`  ${pct(us)}  ${name}`);
  }
  return lines;
}

// As a command: tsx bench/profile-summary.ts <file.cpuprofile> [N] [from-to seconds]
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [file, topArg, window] = process.argv.slice(2);
  if (!file)
    throw new Error(
      "usage: tsx bench/profile-summary.ts <file.cpuprofile> [N] [from-to seconds, e.g. 20-30]",
    );
  console.log(summarizeProfile(file, Number(topArg ?? 30), window).join("\n"));
}
