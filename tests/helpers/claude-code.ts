import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Claude Code as a test client: installed on first use into node_modules/.cache (it is not
 * a dependency of the product, and its native binary is ~250 MB), then run as a user
 * would — `claude -p "<prompt>" --model <name>` — with only a base URL and a key, in a HOME
 * of its own so no real login, settings or history is used or touched.
 */
const VERSION = "2.1.197";
const run = promisify(execFile);

export function claudeCodeDir(): string {
  return path.join(process.cwd(), "node_modules", ".cache", `claude-code-${VERSION}`);
}

let installing: Promise<string> | null = null;

/** The path of the `claude` executable, installing it once per checkout. */
export function installClaudeCode(): Promise<string> {
  installing ??= (async () => {
    const dir = claudeCodeDir();
    const binary = path.join(
      dir,
      "node_modules",
      "@anthropic-ai",
      "claude-code",
      "bin",
      "claude.exe",
    );
    if (!isExecutableBinary(binary)) {
      fs.mkdirSync(dir, { recursive: true });
      await run(
        "npm",
        [
          "install",
          "--prefix",
          dir,
          "--no-save",
          "--no-audit",
          "--no-fund",
          "--loglevel=error",
          `@anthropic-ai/claude-code@${VERSION}`,
        ],
        {
          timeout: 300_000,
        },
      );
    }
    if (!isExecutableBinary(binary))
      throw new Error(`Claude Code ${VERSION} did not install a runnable binary at ${binary}`);
    return binary;
  })();
  return installing;
}

/** The postinstall step puts the native binary in place; without it bin/claude.exe is a stub. */
function isExecutableBinary(file: string): boolean {
  try {
    return fs.statSync(file).size > 1_000_000;
  } catch {
    return false;
  }
}

export interface ClaudeCodeRun {
  stdout: string;
  stderr: string;
}

export async function runClaudeCode(options: {
  baseUrl: string;
  apiKey: string;
  model: string;
  prompt: string;
  /** Tools it may use without asking (e.g. `Bash`): `claude -p` cannot ask. */
  allowedTools?: string[];
  timeoutMs?: number;
}): Promise<ClaudeCodeRun> {
  const binary = await installClaudeCode();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "mb-claude-home-"));
  try {
    const env = {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      ANTHROPIC_BASE_URL: options.baseUrl,
      ANTHROPIC_AUTH_TOKEN: options.apiKey,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
    } satisfies NodeJS.ProcessEnv;
    const args = ["-p", options.prompt, "--model", options.model];
    if (options.allowedTools?.length) args.push("--allowedTools", options.allowedTools.join(","));
    const { stdout, stderr } = await run(binary, args, {
      cwd: home,
      env,
      timeout: options.timeoutMs ?? 120_000,
    });
    return { stdout, stderr };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}
