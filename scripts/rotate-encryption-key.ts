/**
 * Re-encrypts every stored upstream credential with the current ENCRYPTION_KEY.
 *
 *   ENCRYPTION_KEY=<new> ENCRYPTION_KEY_PREVIOUS=<old> npx tsx scripts/rotate-encryption-key.ts
 *
 * Run it with the app's DATABASE_URL / DATA_DIR. On PGlite stop the app first (the data
 * directory is locked to one process). The app keeps serving through a rotation on
 * Postgres as long as it runs with both variables set; drop ENCRYPTION_KEY_PREVIOUS after.
 */
import { getDatabase } from "@/db/client";
import { encryptionKey, previousEncryptionKey } from "@/lib/models/credential-crypto";
import { rotateCredentials } from "@/lib/models/rotate-credentials";

async function main() {
  if (!process.env.ENCRYPTION_KEY)
    throw new Error(
      "Set ENCRYPTION_KEY to the new key (and ENCRYPTION_KEY_PREVIOUS to the old one).",
    );
  const database = await getDatabase();
  try {
    const { rotated } = await rotateCredentials(
      database.db,
      encryptionKey(),
      previousEncryptionKey(),
    );
    console.log(JSON.stringify({ msg: "credentials re-encrypted", rotated }));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
