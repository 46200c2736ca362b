import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

/**
 * Spawns tests/upstream/fake-upstream.ts (or, with `script: "anthropic"`,
 * fake-anthropic-upstream.ts, `gemini`: fake-gemini-upstream.ts) in its own process and resolves with its base URL (what a
 * model's base_url should be: `http://127.0.0.1:<port>/v1`, or without `/v1` for Anthropic).
 * `stop()` ends it.
 */
export interface FakeUpstream {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startFakeUpstream(
  options: {
    port?: number;
    cwd?: string;
    script?: "openai" | "anthropic" | "gemini";
    env?: Record<string, string>;
  } = {},
): Promise<FakeUpstream> {
  const cwd = options.cwd ?? process.cwd();
  const script =
    options.script === "anthropic"
      ? "tests/upstream/fake-anthropic-upstream.ts"
      : options.script === "gemini"
        ? "tests/upstream/fake-gemini-upstream.ts"
        : "tests/upstream/fake-upstream.ts";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(cwd, script)], {
    cwd,
    env: { ...process.env, ...options.env, FAKE_UPSTREAM_PORT: String(options.port ?? 0) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    // Generous: a loaded two-core machine (vitest's workers, a build) can take many seconds to
    // start tsx. A child that never answered is killed, so it cannot keep the runner alive.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("fake upstream did not start within 45 s"));
    }, 45_000);
    child.once("exit", (code) => reject(new Error(`fake upstream exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
