import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { installCliClient } from "./install-client";

/**
 * `codex exec "<task>"` with Codex CLI 0.171 set up as a user points it at ModelBridge: an
 * isolated HOME and CODEX_HOME whose config.toml has a model provider with the gateway's
 * /v1 as base_url, the key in an environment variable, `wire_api = "responses"`. Runs with
 * stdin closed (codex exec reads stdin to its end otherwise) and without its sandbox
 * (containers here have no user namespaces for bubblewrap); resolves with stdout.
 */
export async function codexExec(options: {
  baseURL: string;
  model: string;
  apiKey: string;
  task: string;
  timeoutMs?: number;
}): Promise<{ stdout: string; stderr: string }> {
  const codex = await installCliClient("@openai/codex@0.171", "codex");
  const home = await mkdtemp(path.join(os.tmpdir(), "mb-codex-"));
  const codexHome = path.join(home, ".codex");
  const workdir = path.join(home, "work");
  try {
    await mkdir(codexHome, { recursive: true });
    await mkdir(workdir, { recursive: true });
    await writeFile(
      path.join(codexHome, "config.toml"),
      [
        `model = "${options.model}"`,
        'model_provider = "modelbridge"',
        "",
        "[model_providers.modelbridge]",
        'name = "ModelBridge"',
        `base_url = "${options.baseURL}"`,
        'env_key = "MODELBRIDGE_API_KEY"',
        'wire_api = "responses"',
        "",
      ].join("\n"),
    );
    // Only what Codex needs: nothing of the test process (database URLs, secrets) leaks into it.
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: home,
      CODEX_HOME: codexHome,
      MODELBRIDGE_API_KEY: options.apiKey,
      NO_COLOR: "1",
    };
    return await new Promise((resolve, reject) => {
      const child = spawn(
        codex,
        [
          "exec",
          "--skip-git-repo-check",
          "--dangerously-bypass-approvals-and-sandbox",
          options.task,
        ],
        {
          cwd: workdir,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (data: Buffer) => (stdout += data));
      child.stderr.on("data", (data: Buffer) => (stderr += data));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 90_000);
      child.on("error", reject);
      child.on("close", (code: number | null) => {
        clearTimeout(timer);
        if (code === 0) resolve({ stdout, stderr });
        else reject(new Error(`codex exec exited with ${code}\n${stdout}\n${stderr}`));
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
