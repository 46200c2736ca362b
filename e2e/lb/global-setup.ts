import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { createScratchDatabase, dropScratchDatabase } from "../../tests/helpers/database";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { SERVER_ENTRY } from "../helpers/processes";
import { createPlatformAdmin } from "../helpers/platform-admin";
import { startNginx } from "./nginx";

/**
 * The load-balanced install: three ModelBridge processes (SERVE=all, one process each, as
 * three machines would run them) on one Postgres and one Redis, behind nginx with no sticky
 * sessions. Every spec talks to nginx only (MB_BASE_URL). The processes are described to the
 * specs in MB_LB_SERVERS (pid, url, log) so that one can be killed.
 */
export const PROCESSES = 3;

export default async function globalSetup(config: FullConfig) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
  if (!adminUrl || !redisUrl)
    throw new Error(
      "The load-balanced suite needs Postgres and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL (.ci/run does).",
    );
  if (!fs.existsSync(path.join(process.cwd(), SERVER_ENTRY)))
    throw new Error("No production build: run `npm run build` first.");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-lb-"));
  const databaseUrl = await createScratchDatabase(adminUrl);
  const env = {
    SIGNUP_MODE: "open",
    SIGNUP_ATTEMPTS_PER_HOUR: "100000",
    REDIS_URL: redisUrl,
    // nginx sets X-Forwarded-For; the processes take the client's address from it.
    TRUST_PROXY: "1",
    // A charged answer ends only after its usage row commits: kill-one.spec.ts holds the
    // processes to "every whole answer was paid for", and every other spec here runs with it.
    GATEWAY_USAGE_COMMIT: "durable",
  };
  const shared = { dataDir, databaseUrl, keepData: true };
  const servers: AppServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    // The first applies the migrations; the others start together.
    servers.push(await startAppServer(env, { ...shared, logName: "server-1.log" }));
    servers.push(
      ...(await Promise.all(
        [2, 3].map((n) => startAppServer(env, { ...shared, logName: `server-${n}.log` })),
      )),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  const nginx = await startNginx(
    path.join(dataDir, "nginx"),
    servers.map((server) => new URL(server.url).host),
  ).catch(async (error) => {
    await stopAll();
    throw error;
  });
  process.env.MB_BASE_URL = nginx.url;
  process.env.MB_SERVER_LOG = servers[0].logFile;
  process.env.MB_DATA_DIR = dataDir;
  process.env.MB_DATABASE_URL = databaseUrl;
  process.env.MB_LB_ACCESS_LOG = nginx.accessLog;
  process.env.MB_LB_SERVERS = JSON.stringify(
    servers.map((server) => ({ pid: server.child.pid, url: server.url, log: server.logFile })),
  );
  await createPlatformAdmin(nginx.url).catch(async (error) => {
    await nginx.stop();
    await stopAll();
    throw error;
  });
  for (const project of config.projects) project.use.baseURL = nginx.url;
  return async () => {
    await nginx.stop();
    await stopAll();
    if (!process.env.MB_KEEP_E2E_DATA) {
      await dropScratchDatabase(adminUrl, databaseUrl).catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
