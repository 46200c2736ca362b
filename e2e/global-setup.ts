import fs from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { startAppServer } from "./helpers/app-server";
import { SERVER_ENTRY } from "./helpers/processes";
import { createPlatformAdmin } from "./helpers/platform-admin";

/**
 * One production server with a fresh database for the whole run. Its URL and log file are
 * handed to the workers through the environment (workers inherit it from this process).
 */
export default async function globalSetup(config: FullConfig) {
  if (
    !fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID")) ||
    !fs.existsSync(path.join(process.cwd(), SERVER_ENTRY))
  ) {
    throw new Error(
      "No production build: run `npm run test:e2e` (it builds first) or `npm run build`.",
    );
  }
  // The generic specs sign up many accounts from one address: open sign-up with a budget
  // to match. The default (invite only) and the limits are proved by who-may-join.spec.ts
  // on a server of its own.
  const server = await startAppServer({ SIGNUP_MODE: "open", SIGNUP_ATTEMPTS_PER_HOUR: "100000" });
  process.env.MB_BASE_URL = server.url;
  process.env.MB_SERVER_LOG = server.logFile;
  // For specs that start another process on the same database (and its secrets).
  process.env.MB_DATA_DIR = server.dataDir;
  if (server.databaseUrl) process.env.MB_DATABASE_URL = server.databaseUrl;
  // Before any spec signs up: the first account of the install is the platform admin.
  await createPlatformAdmin(server.url).catch(async (error) => {
    await server.stop();
    throw error;
  });
  for (const project of config.projects) project.use.baseURL = server.url;
  return async () => {
    await server.stop();
  };
}
