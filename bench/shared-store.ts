/**
 * `npx tsx bench/shared-store.ts`: what one /v1 request costs Postgres and Redis, and the
 * throughput of 1 and 2 processes (docs/scaling.md). Needs a production build (`npm run
 * build`), Postgres at BENCH_DATABASE_URL (a scratch database is made and dropped), a
 * `redis-server` binary (a private one is started on a free port, so the counts are ours
 * alone) and wrk.
 *
 * Calls: 200 warm-up requests, then 2,000 at 16 in flight; Postgres's transactions
 * (`xact_commit + xact_rollback` of pg_stat_database for the scratch database: every
 * statement outside a transaction is one) and rows written, and Redis's calls (INFO
 * commandstats), divided by the requests. Two keys: a spending limit only, and a spending
 * limit with allowed models and per-minute rate limits (the Redis script path).
 * Throughput: wrk -t1 -c32 for 8 s on JSON chat completions; the server pinned with
 * taskset to core 1 (1 process) or cores 0–1 (2 processes); wrk and the mock upstream on
 * core 0 in both cases.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import Redis from "ioredis";
import { Agent, request } from "undici";
import { createScratchDatabase, dropScratchDatabase } from "../tests/helpers/database";
import { freePort, stopProcess } from "../tests/helpers/processes";
import { startMock } from "./arms";
import { compileHelpers } from "./compile-helpers";
import { BENCH_MODEL, seedDatabase } from "./seed";

// The seed encrypts the model credential with this key; the server must decrypt it.
process.env.ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const body = JSON.stringify({
  model: BENCH_MODEL,
  messages: [{ role: "user", content: "hello" }],
  max_tokens: 16,
});

async function waitReady(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never ready`);
}

async function startServer(
  env: Record<string, string>,
  cores: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-ss-"));
  const child = spawn("taskset", ["-c", cores, process.execPath, "dist/server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      AUTH_SECRET: "b".repeat(44),
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", process.env.BENCH_SERVER_LOG ? "inherit" : "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  return { url, child };
}

async function fire(url: string, key: string, count: number, inFlight: number) {
  const agent = new Agent({ connections: inFlight });
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < count) {
        const response = await request(`${url}/v1/chat/completions`, {
          dispatcher: agent,
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body,
        });
        const text = await response.body.text();
        if (response.statusCode !== 200 && failed++ === 0) console.error(response.statusCode, text);
      }
    }),
  );
  await agent.close();
  if (failed) throw new Error(`${failed} requests failed`);
}

async function pgCounters(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_stat_clear_snapshot()`;
    const [row] = await sql`
      select xact_commit + xact_rollback as xacts, tup_inserted + tup_updated + tup_deleted as writes
      from pg_stat_database where datname = current_database()`;
    return { xacts: Number(row.xacts), writes: Number(row.writes) };
  } finally {
    await sql.end();
  }
}

async function redisCalls(redis: Redis) {
  const info = await redis.info("commandstats");
  let calls = 0;
  for (const match of info.matchAll(/calls=(\d+)/g)) calls += Number(match[1]);
  return calls;
}

async function perRequest(mockOrigin: string, redisUrl: string, keyControls: boolean) {
  const url = await createScratchDatabase(ADMIN_URL);
  try {
    const seeded = await seedDatabase({ url }, mockOrigin, keyControls);
    const server = await startServer(
      { DATABASE_URL: url, REDIS_URL: redisUrl, WEB_CONCURRENCY: "1" },
      "1",
    );
    const redis = new Redis(redisUrl);
    try {
      await fire(server.url, seeded.apiKey, 200, 16);
      await new Promise((r) => setTimeout(r, 2500)); // usage flush + stats flush (≤ 1 s each)
      const pg0 = await pgCounters(url);
      const r0 = await redisCalls(redis);
      const n = 2000;
      await fire(server.url, seeded.apiKey, n, 16);
      await new Promise((r) => setTimeout(r, 2500));
      const pg1 = await pgCounters(url);
      const r1 = await redisCalls(redis);
      // Our own two stats queries and the INFO call are subtracted.
      return {
        key: keyControls ? "spending limit + allowed models + rate limits" : "spending limit",
        postgresTransactionsPerRequest: (pg1.xacts - pg0.xacts - 2) / n,
        postgresRowsWrittenPerRequest: (pg1.writes - pg0.writes) / n,
        redisCallsPerRequest: (r1 - r0 - 1) / n,
      };
    } finally {
      redis.disconnect();
      await stopProcess(server.child);
    }
  } finally {
    await dropScratchDatabase(ADMIN_URL, url).catch(() => {});
  }
}

async function throughput(mockOrigin: string, processes: number) {
  const url = await createScratchDatabase(ADMIN_URL);
  try {
    const seeded = await seedDatabase({ url }, mockOrigin, false);
    const server = await startServer(
      { DATABASE_URL: url, WEB_CONCURRENCY: String(processes) },
      processes === 1 ? "1" : "0,1",
    );
    try {
      await fire(server.url, seeded.apiKey, 3000, 16); // JIT warm-up
      const lua = path.join(os.tmpdir(), "mb-ss-post.lua");
      fs.writeFileSync(
        lua,
        `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["content-type"] = "application/json"\nwrk.headers["authorization"] = "Bearer ${seeded.apiKey}"\n`,
      );
      const out = execFileSync(
        "taskset",
        ["-c", "0", "wrk", "-t1", "-c32", "-d8s", "-s", lua, `${server.url}/v1/chat/completions`],
        { encoding: "utf8" },
      );
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const p50 = /50%\s+([\d.]+\w+)/.exec(out)?.[1];
      return { processes, rps, non2xx, latency: /Latency\s+([\d.]+\w+)/.exec(out)?.[1], p50 };
    } finally {
      await stopProcess(server.child);
    }
  } finally {
    await dropScratchDatabase(ADMIN_URL, url).catch(() => {});
  }
}

async function main() {
  const helpers = compileHelpers();
  const mock = await startMock(helpers.mock);
  const redisPort = await freePort();
  const redisServer = spawn("taskset", [
    "-c",
    "0",
    "redis-server",
    "--port",
    String(redisPort),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ]);
  await new Promise((r) => setTimeout(r, 500));
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  try {
    const machine = {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      loadavg: os.loadavg().map((l) => l.toFixed(1)),
    };
    console.log(JSON.stringify({ machine }));
    for (const keyControls of [false, true])
      console.log(JSON.stringify(await perRequest(mock.origin, redisUrl, keyControls)));
    for (const processes of [1, 2, 1, 2])
      console.log(
        JSON.stringify({
          ...(await throughput(mock.origin, processes)),
          loadavg: os.loadavg()[0].toFixed(1),
        }),
      );
  } finally {
    redisServer.kill();
    await mock.stop();
    helpers.remove();
  }
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
