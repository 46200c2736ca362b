import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests against the production server (`server.ts` over a `next build`) with a
 * fresh database — PGlite by default, a scratch Postgres database when TEST_DATABASE_URL
 * is set — and a separate fake OpenAI-compatible upstream process. See e2e/global-setup.ts.
 */
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  // Two cores shared by the app server, the upstream and the browsers.
  workers: 2,
  // One retry in CI only: the suite runs twice on two cores beside a build, and a test that
  // times out once under that load is told apart from one that fails (a retried pass is
  // named "passed on retry" in .ci/run's summary, so it is seen, not hidden).
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // In CI (.ci/run) a JSON report per database is written for the final count.
  reporter: process.env.MB_REPORT_DIR
    ? [["list"], ["json", { outputFile: `${process.env.MB_REPORT_DIR}/playwright.json` }]]
    : [["list"]],
  use: {
    baseURL: process.env.MB_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: chromiumArgs,
    },
  },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts" },
    {
      name: "browser",
      testMatch: "browser/**/*.spec.ts",
      use: { viewport: { width: 1366, height: 900 } },
    },
  ],
});
