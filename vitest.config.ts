import path from "node:path";
import { defineConfig } from "vitest/config";

// In CI (.ci/run) a JSON report per database is written for the final count.
const reportDir = process.env.MB_REPORT_DIR;

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Two cores: more workers only fight over them (each PGlite is ~200 MB and CPU-bound).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: reportDir ? ["default", "json"] : ["default"],
    outputFile: reportDir ? { json: path.join(reportDir, "vitest.json") } : undefined,
  },
});
