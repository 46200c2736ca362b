import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { createScratchDatabase, dropScratchDatabase } from "../../tests/helpers/database";
import { freePort, spawnServer, stopProcess, waitForHttp } from "./processes";

export interface AppServer {
  url: string;
  logFile: string;
  dataDir: string;
  databaseUrl?: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The production server (`dist/server.mjs`, after `npm run build`) on a free port with a database of
 * its own: a new PGlite data directory, or a scratch database on TEST_DATABASE_URL.
 */
export interface StartOptions {
  /** Reuse a data directory / database (a restart); by default both are new. */
  dataDir?: string;
  databaseUrl?: string;
  /** Keep the data directory and database after stop(), for a restart. */
  keepData?: boolean;
  /** The log's file name in the data directory (another process on the same one needs its own). */
  logName?: string;
}

export async function startAppServer(
  extraEnv: Record<string, string> = {},
  options: StartOptions = {},
): Promise<AppServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "mb-e2e-"));
  const adminUrl = process.env.TEST_DATABASE_URL;
  const databaseUrl =
    options.databaseUrl ?? (adminUrl ? await createScratchDatabase(adminUrl) : undefined);
  const logFile = path.join(dataDir, options.logName ?? "server.log");
  const child = spawnServer(
    {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? "",
      // Fixed per data directory, so a restart keeps sessions and encrypted credentials valid.
      AUTH_SECRET: secretFor(dataDir, "auth"),
      ENCRYPTION_KEY: secretFor(dataDir, "encryption"),
      NEXT_TELEMETRY_DISABLED: "1",
      // One process per server here (specs kill and restart it by pid); the load-balanced
      // suite (e2e/lb) runs several behind nginx.
      WEB_CONCURRENCY: "1",
      ...extraEnv,
    },
    logFile,
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/readyz`, 90_000, child);
  } catch (error) {
    await stopProcess(child);
    throw new Error(
      `${(error as Error).message}\n--- server log ---\n${fs.readFileSync(logFile, "utf8")}`,
    );
  }
  return {
    url,
    logFile,
    dataDir,
    databaseUrl,
    child,
    async stop() {
      await stopProcess(child);
      if (options.keepData || process.env.MB_KEEP_E2E_DATA) return;
      if (adminUrl && databaseUrl) await dropScratchDatabase(adminUrl, databaseUrl).catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function secretFor(dataDir: string, name: string): string {
  const file = path.join(dataDir, `test-${name}-secret`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64"));
  return fs.readFileSync(file, "utf8");
}
