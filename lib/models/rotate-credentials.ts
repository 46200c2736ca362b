import { eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import { decryptCredential, encryptCredential } from "./credential-crypto";

/**
 * Re-encrypts every stored upstream credential with `current`, reading each with `current`
 * or `previous`. Each row is updated only if it still holds what was read (a concurrent
 * edit wins), so running it twice, or while the app serves, is safe. A credential neither
 * key opens stops the run with its model's name: nothing is silently dropped.
 */
export async function rotateCredentials(
  db: Db,
  current: Buffer,
  previous: Buffer | null,
): Promise<{ rotated: number }> {
  const rows = await db
    .select({ id: models.id, name: models.name, stored: models.apiKeyEncrypted })
    .from(models)
    .where(isNotNull(models.apiKeyEncrypted));
  let rotated = 0;
  for (const row of rows) {
    let plain: string;
    try {
      plain = decryptCredential(row.stored!, current, previous);
    } catch {
      throw new Error(
        `The credential of model '${row.name}' opens with neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS.`,
      );
    }
    const updated = await db
      .update(models)
      .set({ apiKeyEncrypted: encryptCredential(plain, current) })
      .where(eq(models.apiKeyEncrypted, row.stored!))
      .returning({ id: models.id });
    rotated += updated.length;
  }
  return { rotated };
}
