import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * Secrets the embedded install generates once and keeps beside its data, so that a quick
 * start needs no setup and a restart keeps sessions and encrypted credentials valid.
 * Production on Postgres sets them through the environment instead.
 */
export function loadOrCreateSecret(name: string, bytes = 32): string {
  const dir = path.join(env().DATA_DIR, "secrets");
  const file = path.join(dir, name);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes).toString("base64");
  try {
    fs.writeFileSync(file, value, { mode: 0o600, flag: "wx" });
    return value;
  } catch (error) {
    // Another process won the race: use what it wrote.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}

export function authSecret(): string {
  return env().AUTH_SECRET ?? loadOrCreateSecret("auth-secret");
}
