import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { freePort, stopProcess } from "../../tests/helpers/processes";

export { freePort, stopProcess };

export async function waitForHttp(
  url: string,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`process exited with code ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

/**
 * Starts the production server as `npm start` runs it (`node dist/server.mjs`, compiled by
 * `npm run build`), with its output appended to a log file. Plain `node`, no npm parent, so
 * the pid is the server's and signals reach it directly.
 */
export function spawnServer(env: Record<string, string>, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  return spawn(process.execPath, [SERVER_ENTRY], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
}

export const SERVER_ENTRY = "dist/server.mjs";
