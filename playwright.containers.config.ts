import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/** The compose stage (scripts/containers/ci-check.sh): specs against the running proxy. */
export default defineConfig({
  ...base,
  globalSetup: undefined,
  use: { ...base.use, baseURL: process.env.MB_BASE_URL },
  reporter: process.env.MB_REPORT_DIR
    ? [["list"], ["json", { outputFile: `${process.env.MB_REPORT_DIR}/playwright.json` }]]
    : [["list"]],
  projects: [{ name: "containers", testMatch: "containers/**/*.spec.ts" }],
});
