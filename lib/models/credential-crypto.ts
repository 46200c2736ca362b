import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { loadOrCreateSecret } from "@/lib/secrets";
import { processSingleton } from "@/lib/singleton";

/**
 * Upstream credentials are encrypted at rest with AES-256-GCM. The key comes from
 * ENCRYPTION_KEY (32 bytes, base64) or, for the embedded install, is generated once and kept
 * in DATA_DIR/secrets beside the data it protects. Stored form: `v1.<iv>.<tag>.<ciphertext>`
 * (base64url), so that a later key rotation can add `v2` without guessing.
 *
 * Rotating the key: set the new key as ENCRYPTION_KEY and the old one as
 * ENCRYPTION_KEY_PREVIOUS; credentials under either decrypt, and
 * `scripts/rotate-encryption-key.ts` re-encrypts every stored one with the new key, after
 * which ENCRYPTION_KEY_PREVIOUS can be removed. GCM's tag tells the keys apart.
 */
const VERSION = "v1";

export function encryptionKey(): Buffer {
  return processSingleton("models.encryption-key", () => {
    const encoded = env().ENCRYPTION_KEY ?? loadOrCreateSecret("encryption-key", 32);
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32)
      throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)");
    return key;
  });
}

/** The key being rotated away from, if any (ENCRYPTION_KEY_PREVIOUS, 32 bytes, base64). */
export function previousEncryptionKey(): Buffer | null {
  const encoded = env().ENCRYPTION_KEY_PREVIOUS;
  if (!encoded) return null;
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32)
    throw new Error("ENCRYPTION_KEY_PREVIOUS must be 32 bytes, base64-encoded");
  return key;
}

export function encryptCredential(plain: string, key: Buffer = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** Decrypts with the current key, or the previous one while a rotation is under way. */
export function decryptCredential(
  stored: string,
  key: Buffer = encryptionKey(),
  previous: Buffer | null = previousEncryptionKey(),
): string {
  try {
    return decryptWith(stored, key);
  } catch (error) {
    if (!previous) throw error;
    return decryptWith(stored, previous);
  }
}

function decryptWith(stored: string, key: Buffer): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined)
    throw new Error("unrecognised credential format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
