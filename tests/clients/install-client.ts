import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * A command-line client the tests drive (Codex CLI) is not a dependency of the product:
 * it is installed on first use into a cache folder beside node_modules and reused after.
 * `MB_CLIENT_CACHE` moves the cache (CI may keep it between runs).
 */
const run = promisify(execFile);

export async function installCliClient(spec: string, bin: string): Promise<string> {
  const cache =
    process.env.MB_CLIENT_CACHE ??
    path.resolve(process.cwd(), "node_modules/.cache/modelbridge-clients");
  const prefix = path.join(cache, spec.replace(/[^\w.-]+/g, "_"));
  const binary = path.join(prefix, "node_modules/.bin", bin);
  if (!existsSync(binary)) {
    await run(
      "npm",
      [
        "install",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
        spec,
      ],
      { timeout: 300_000 },
    );
  }
  return binary;
}
