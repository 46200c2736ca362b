import crypto, { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * The key format: `<prefix><kind>_` + 32 base62 characters from a CSPRNG + 6 base62
 * characters encoding the CRC32 of everything before them. The checksum lets a typo or a
 * secret scanner's hit be checked offline, before any database lookup.
 */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;

export type KeyKind = "live" | "mgmt";

export function keyPrefix(kind: KeyKind, base = "mb_"): string {
  return `${base}${kind}_`;
}

/** Uniform base62 characters: bytes ≥ 248 are rejected so that `% 62` has no bias. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function encodeBase62(value: number, width: number): string {
  let n = value;
  let out = "";
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}

export function checksumOf(body: string): string {
  return encodeBase62(crc32(body) >>> 0, CHECKSUM_LENGTH);
}

export function generateKey(kind: KeyKind, base = "mb_"): string {
  const body = keyPrefix(kind, base) + randomBase62(RANDOM_LENGTH);
  return body + checksumOf(body);
}

const TAIL = new RegExp(`^[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

export interface ParsedKey {
  kind: KeyKind;
  prefix: string;
}

/**
 * Checks shape and checksum without touching storage. Returns what kind of key it is,
 * or null for anything that cannot be one of ours.
 */
export function parseKey(candidate: string, base = "mb_"): ParsedKey | null {
  for (const kind of ["live", "mgmt"] as const) {
    const prefix = keyPrefix(kind, base);
    if (!candidate.startsWith(prefix)) continue;
    const tail = candidate.slice(prefix.length);
    if (!TAIL.test(tail)) return null;
    const body = candidate.slice(0, candidate.length - CHECKSUM_LENGTH);
    return checksumOf(body) === candidate.slice(-CHECKSUM_LENGTH) ? { kind, prefix } : null;
  }
  return null;
}

/** What is stored and looked up: SHA-256 of the full key, hex. */
export function hashKey(key: string): string {
  // One-shot crypto.hash (Node 20.12+) is ~3× cheaper than a Hash object; this runs on every /v1 request.
  return oneShotHash
    ? oneShotHash("sha256", key, "hex")
    : createHash("sha256").update(key).digest("hex");
}

const oneShotHash = (
  crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }
).hash;

/** What lists show: `mb_live_…a1b2`. */
export function maskKey(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}
