#!/usr/bin/env node
/**
 * Counts imports that run "back up the house" — a lower room importing a higher one — and
 * the import circles inside lib/gateway. The rooms and their order are written down in
 * docs/architecture.md; this script is what keeps that page honest.
 *
 *   node scripts/backward-imports.mjs            # the counts and every backward import
 *   node scripts/backward-imports.mjs --summary  # the counts only
 *
 * Test files are left out: a test may reach into any room. Type-only imports are counted
 * (they couple the rooms all the same) and marked, since they cannot form a runtime circle.
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(new URL("..", import.meta.url).pathname);

/**
 * Rooms from the bottom up. A file belongs to the first room whose prefix matches; an
 * import from a room to one with a higher rank is backward. Rooms of equal rank may
 * import each other (siblings), but never in a circle (checked in lib/gateway).
 */
const ROOMS = [
  // The kernel: who is acting, shared schemas, text, the error vocabulary.
  ["lib/core/", 0],
  ["lib/format/", 0],
  ["lib/env.ts", 0],
  ["lib/singleton.ts", 0],
  ["lib/secrets.ts", 0],
  ["lib/errors/", 1],
  ["db/", 2],
  ["lib/net/", 2],
  ["lib/invalidation-channel.ts", 2],
  // HTTP plumbing both adapters and the gateway's entry share (client address, request id,
  // the auth-failure limiter): it imports nothing above the kernel.
  ["lib/http/", 2],
  // Counters shared by every process (the database or Redis), under limiters of any room.
  ["lib/limits/", 2],
  // The gateway, bottom up: pure translations and the gateway's vocabulary first, then what
  // talks to upstreams and keeps state, the providers, the pipeline's stages and its
  // Protocol contract, the protocols that plug into it, and the entry that wires it all.
  ["lib/gateway/translate/", 3],
  ["lib/gateway/types.ts", 3],
  ["lib/gateway/config.ts", 3],
  ["lib/gateway/maybe-async.ts", 3],
  ["lib/gateway/client-signal.ts", 3],
  ["lib/gateway/gateway-error.ts", 3],
  ["lib/gateway/relay/", 4],
  ["lib/gateway/stores/", 4],
  // Spans for /v1 (the contract and its OpenTelemetry implementation), below the providers
  // that inject its traceparent and the pipeline that starts and ends its spans.
  ["lib/gateway/tracing/", 4],
  // The wiring contract names the stores' and the upstream client's interfaces.
  ["lib/gateway/deps.ts", 4.5],
  ["lib/gateway/request-context.ts", 4.5],
  ["lib/gateway/providers/", 5],
  ["lib/gateway/pipeline/", 6],
  ["lib/gateway/protocols/", 7],
  ["lib/gateway/entry/", 8],
  // A loose file at the gateway's root has no room yet (before the re-cut: most of them).
  ["lib/gateway/", null],
  // Services (keys, billing, models, users, teams…) sit above the gateway's stores only in
  // the sense that the gateway's entry wires them; they must not import the gateway.
  ["lib/", 2.5],
];
// Adapters and the outermost shell, above every service.
const OUTER = [
  ["lib/api/", 9],
  ["lib/server/", 9],
  ["lib/actions/", 9],
  ["lib/auth.ts", 9],
  ["app/", 10],
  ["components/", 10],
  ["server.ts", 10],
];

function roomOf(file) {
  for (const [prefix, rank] of [...OUTER, ...ROOMS])
    if (file === prefix || file.startsWith(prefix)) return { room: prefix, rank };
  return null;
}

function walk(dir, out = []) {
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${name}` : name;
    const stat = statSync(path.join(root, rel));
    if (stat.isDirectory()) walk(rel, out);
    else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts"))
      out.push(rel);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolve(fromFile, spec) {
  let base;
  if (spec.startsWith("@/")) base = spec.slice(2);
  else if (spec.startsWith(".")) base = path.posix.join(path.posix.dirname(fromFile), spec);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}.mjs`])
    if (existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile())
      return candidate;
  return null;
}

const files = ["lib", "app", "db", "components"].flatMap((dir) => walk(dir));
if (existsSync(path.join(root, "server.ts"))) files.push("server.ts");

const backward = [];
const graph = new Map();
for (const file of files) {
  const from = roomOf(file);
  const text = readFileSync(path.join(root, file), "utf8");
  const edges = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[3] ?? match[4];
    const typeOnly = Boolean(match[2]);
    const target = resolve(file, spec);
    if (!target) continue;
    edges.push({ target, typeOnly });
    const to = roomOf(target);
    if (from?.rank != null && to?.rank != null && to.rank > from.rank)
      backward.push({ file, target, typeOnly, from: from.room, to: to.room });
  }
  graph.set(file, edges);
}

// Circles among lib/gateway files (value imports only: a type-only import is erased).
const gatewayFiles = files.filter((f) => f.startsWith("lib/gateway/"));
const circles = [];
const state = new Map();
const stack = [];
function visit(file) {
  state.set(file, "open");
  stack.push(file);
  for (const { target, typeOnly } of graph.get(file) ?? []) {
    if (typeOnly || !target.startsWith("lib/gateway/")) continue;
    if (state.get(target) === "open")
      circles.push(stack.slice(stack.indexOf(target)).concat(target));
    else if (!state.has(target)) visit(target);
  }
  stack.pop();
  state.set(file, "done");
}
for (const file of gatewayFiles) if (!state.has(file)) visit(file);

const looseAtGatewayRoot = gatewayFiles.filter((f) => f.split("/").length === 3);
const summary = process.argv.includes("--summary");
if (!summary) {
  for (const b of backward)
    console.log(`backward${b.typeOnly ? " (type)" : ""}: ${b.file} -> ${b.target}`);
  for (const c of circles) console.log(`circle: ${c.join(" -> ")}`);
}
const inGateway = (b) => b.file.startsWith("lib/gateway/") && b.target.startsWith("lib/gateway/");
const across = backward.filter((b) => !inGateway(b));
const inside = backward.filter(inGateway);
const types = (list) => list.filter((b) => b.typeOnly).length;
console.log(
  `backward imports between lib's rooms: ${across.length} (${types(across)} type-only); ` +
    `inside lib/gateway: ${inside.length} (${types(inside)} type-only); ` +
    `circles in lib/gateway: ${circles.length}; files without a room at lib/gateway/: ${looseAtGatewayRoot.filter((f) => roomOf(f).rank == null).length}`,
);
