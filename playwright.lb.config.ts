import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The load-balanced suite (`npm test` runs it on Postgres): nginx in front of three
 * ModelBridge processes on one Postgres and one Redis, no sticky sessions (e2e/lb/
 * global-setup.ts). The API specs below run unchanged through it and must hold as they do
 * against one process; e2e/lb adds what only several processes can show, and last, one
 * process killed with SIGKILL under load.
 */
const throughTheBalancer = [
  "api/anthropic.spec.ts", // Claude Code and the Anthropic SDK; spend is the sum of usage
  "api/every-api.spec.ts", // the OpenAI SDK and the Vercel AI SDK on every endpoint
  "api/gateway.spec.ts", // revocation refuses the very next request; limits
  "api/gateway-correctness.spec.ts", // spend shows within the flush interval; limit_reached
  "api/key-controls.spec.ts", // pause, roll, IP allowlist, rate limits, periods
  "api/management-api.spec.ts", // keys, teams, invites-adjacent API, credentials
  "api/readme-examples.spec.ts",
  "api/health.spec.ts",
  "lb/shared-state.spec.ts", // multi-turn Responses, sign-in limits, invites, webhooks and alerts once
];

export default defineConfig({
  ...base,
  globalSetup: "./e2e/lb/global-setup.ts",
  reporter: process.env.MB_REPORT_DIR
    ? [["list"], ["json", { outputFile: `${process.env.MB_REPORT_DIR}/playwright.json` }]]
    : [["list"]],
  projects: [
    { name: "lb", testMatch: throughTheBalancer },
    // Never retried: the first attempt kills a process, so a second would run on two.
    { name: "lb-kill", testMatch: "lb/kill-one.spec.ts", dependencies: ["lb"], retries: 0 },
  ],
});
