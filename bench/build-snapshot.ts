/**
 * The production build the app arms run from, copied out of the shared work tree: other
 * people build in this tree too, and a `next build` deletes `.next` mid-run. The snapshot is
 * a directory of symlinks to the tree's entries plus private copies of `.next` (without its
 * cache) and `dist` (the compiled server.ts); the app starts with it as cwd, so it runs the
 * copies while node_modules and drizzle/ are the tree's own.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SKIP_IN_COPY = new Set(["cache", "trace", "diagnostics", "lock"]);

/** A `next build` whose working directory is this tree (other worktrees build their own). */
function buildRunning(): boolean {
  let pids: string[];
  try {
    pids = execFileSync("pgrep", ["-f", "next[ -]build"], { encoding: "utf8" }).split("\n");
  } catch {
    return false;
  }
  const root = fs.realpathSync(process.cwd());
  return pids.some((pid) => {
    try {
      return pid !== "" && fs.realpathSync(`/proc/${pid}/cwd`) === root;
    } catch {
      return false;
    }
  });
}

const sleep = (seconds: number) => execFileSync("sleep", [String(seconds)]);

export interface BuildSnapshot {
  dir: string;
  buildId: string;
  remove(): void;
}

export function snapshotBuild(log: (line: string) => void, forceBuild: boolean): BuildSnapshot {
  const root = process.cwd();
  for (let attempt = 0; ; attempt++) {
    // Never build, nor copy, while a build runs in this tree.
    while (buildRunning()) {
      log("a next build is running in this tree; waiting for it");
      sleep(5);
    }
    const buildIdFile = path.join(root, ".next", "BUILD_ID");
    const serverEntry = path.join(root, "dist", "server.mjs");
    if (
      !fs.existsSync(buildIdFile) ||
      !fs.existsSync(serverEntry) ||
      (forceBuild && attempt === 0)
    ) {
      log("npm run build");
      execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-bench-tree-"));
    try {
      for (const entry of fs.readdirSync(root)) {
        if (entry !== ".next" && entry !== "dist")
          fs.symlinkSync(path.join(root, entry), path.join(dir, entry));
      }
      fs.cpSync(path.join(root, ".next"), path.join(dir, ".next"), {
        recursive: true,
        filter: (source) => !SKIP_IN_COPY.has(path.relative(path.join(root, ".next"), source)),
      });
      fs.cpSync(path.join(root, "dist"), path.join(dir, "dist"), { recursive: true });
      const buildId = fs.readFileSync(path.join(dir, ".next", "BUILD_ID"), "utf8").trim();
      // A build that started while copying may have left a half-copied tree: copy again.
      if (buildRunning()) throw new Error("a build started while copying");
      return { dir, buildId, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (attempt >= 5) throw error;
      log(`copying the build failed (${(error as Error).message}); retrying`);
      sleep(5);
    }
  }
}
