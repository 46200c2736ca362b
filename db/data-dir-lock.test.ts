import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "./data-dir-lock";

const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mb-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("data directory lock", () => {
  it("refuses a second holder while the first process is alive, naming it", async () => {
    const dir = tempDir();
    // Another process takes the lock the same way and keeps running.
    const holder = spawn(process.execPath, [
      "-e",
      `require("fs").writeFileSync(${JSON.stringify(path.join(dir, "modelbridge.lock"))}, String(process.pid), {flag:"wx"}); setInterval(()=>{}, 1000)`,
    ]);
    try {
      // Wait until the other process holds the lock (it may start slowly on a busy machine).
      const lockFile = path.join(dir, "modelbridge.lock");
      for (
        let i = 0;
        i < 200 &&
        !(fs.existsSync(lockFile) && fs.readFileSync(lockFile, "utf8") === String(holder.pid));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(
        new RegExp(`in use by another ModelBridge process \\(pid ${holder.pid}\\)`),
      );
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a lock left by a process that died (kill -9)", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "modelbridge.lock"), "999999999");
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "modelbridge.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "modelbridge.lock"))).toBe(false);
  });
});
