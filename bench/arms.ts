/**
 * The processes each arm measures: the mock upstream, the floor, and the app (server.ts,
 * or `next start` for the route-handler reference) on a fresh PGlite data directory or a
 * scratch Postgres database, seeded before it starts and removed after.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createScratchDatabase, dropScratchDatabase } from "../tests/helpers/database";
import { freePort } from "../tests/helpers/processes";
import {
  descendants,
  startProcess,
  startWithReadyLine,
  stopProcess,
  waitForHttp,
} from "./processes";
import { seedDatabase } from "./seed";

export interface RunningArm {
  origin: string;
  apiKey?: string;
  pids: () => number[];
  stop(): Promise<void>;
}

export async function startMock(compiled: string): Promise<RunningArm> {
  const mock = await startWithReadyLine<{ url: string }>(process.execPath, [compiled], {
    core: "load",
  });
  return { origin: mock.ready.url, pids: () => [mock.pid], stop: () => stopProcess(mock.child) };
}

/**
 * The floor, compiled (`compiled` is the esbuild output), or `under tsx` from its source as
 * this benchmark ran it before: the arm that shows what tsx alone did to the old ratios.
 */
export async function startFloor(
  upstreamOrigin: string,
  compiled: string,
  options: { underTsx?: boolean; nodeArgs?: string[] } = {},
): Promise<RunningArm> {
  const args = options.underTsx ? ["--import", "tsx", "bench/floor.ts"] : [compiled];
  const floor = await startWithReadyLine<{ url: string }>(
    process.execPath,
    [...(options.nodeArgs ?? []), ...args],
    {
      core: "server",
      env: { BENCH_FLOOR_UPSTREAM: upstreamOrigin },
    },
  );
  return { origin: floor.ready.url, pids: () => [floor.pid], stop: () => stopProcess(floor.child) };
}

export interface AppOptions {
  database: "pglite" | "postgres";
  /** server.ts (the production entry), or `next start` (route handlers only). */
  entry: "server.ts" | "next-start";
  adminDatabaseUrl: string;
  logDir: string;
  /** The build snapshot's directory (see build-snapshot.ts). */
  cwd: string;
  extraEnv?: Record<string, string>;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Not pinned to the server's core (the cluster arms: several processes need both cores). */
  unpinned?: boolean;
  /** The key also has an allowed-models list and per-minute rate limits (see seed.ts). */
  keyControls?: boolean;
}

export async function startApp(options: AppOptions, upstreamOrigin: string): Promise<RunningArm> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-"));
  const databaseUrl =
    options.database === "postgres"
      ? await createScratchDatabase(options.adminDatabaseUrl)
      : undefined;
  const cleanup = async () => {
    if (databaseUrl)
      await dropScratchDatabase(options.adminDatabaseUrl, databaseUrl).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const seeded = await seedDatabase(
      { url: databaseUrl, dataDir },
      upstreamOrigin,
      options.keyControls,
    );
    const port = await freePort();
    const logFile = path.join(
      options.logDir,
      `${options.entry}-${options.database}${Object.values(options.extraEnv ?? {})
        .map((v) => `-${v.replace(/[^a-z0-9.]+/gi, "_")}`)
        .join("")}.log`,
    );
    const env = {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? "",
      AUTH_SECRET: process.env.AUTH_SECRET!,
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY!,
      NEXT_TELEMETRY_DISABLED: "1",
      // One process unless an arm asks for more (server.ts would otherwise fork one per core).
      WEB_CONCURRENCY: "1",
      ...options.extraEnv,
    };
    const [command, args] =
      options.entry === "server.ts"
        ? [
            process.execPath,
            [
              ...(options.nodeArgs ?? []),
              ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
              "dist/server.mjs",
            ],
          ]
        : [
            process.execPath,
            ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
          ];
    const server = startProcess(command, args, {
      env,
      core: options.unpinned ? undefined : "server",
      logFile,
      cwd: options.cwd,
    });
    const origin = `http://127.0.0.1:${port}`;
    try {
      // server.ts answers /healthz itself once the database and gateway are up; next start
      // only has the /readyz route.
      await waitForHttp(
        `${origin}${options.entry === "server.ts" ? "/healthz" : "/readyz"}`,
        90_000,
        server.child,
        logFile,
      );
    } catch (error) {
      await stopProcess(server.child);
      throw error;
    }
    return {
      origin,
      apiKey: seeded.apiKey,
      pids: () => descendants(server.pid),
      async stop() {
        await stopProcess(server.child);
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Fixed for the run: the seeding process encrypts the model's credential with it. */
export function ensureSecrets(): void {
  process.env.AUTH_SECRET ||= randomBytes(32).toString("base64");
  process.env.ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
}
