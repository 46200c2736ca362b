import { sql } from "drizzle-orm";
import type { Database, Db } from "@/db/client";
import { notifyKeyChanged } from "@/lib/keys/key-notify";

/**
 * The one call site for "a key changed" (revoked, limit or expiry edited): the gateway's
 * key cache evicts it here at once and in other processes through NOTIFY. The NOTIFY goes
 * through the same Db the change was written with, so it also works inside tests.
 */
export async function invalidateKey(db: Db, keyId: string): Promise<void> {
  const viaDb: Pick<Database, "notify"> = {
    async notify(channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
  };
  await notifyKeyChanged(keyId, viaDb as Database);
}
