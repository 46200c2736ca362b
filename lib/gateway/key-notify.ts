/**
 * ── For code that changes API keys (revoke, limit, expiry, owner disabled…) ──────────────
 *
 *   import { notifyKeyChanged } from "@/lib/gateway/key-notify";
 *   await notifyKeyChanged(key.id);            // after the UPDATE has committed
 *   await notifyKeyChanged("*");               // many keys at once (e.g. a user disabled)
 *
 * The gateway caches keys in memory so that a request needs no query. This call evicts the
 * key from this process's cache synchronously (so the very next request here sees the
 * change) and sends `NOTIFY modelbridge_key_changed, '<key id>'` so that every other process
 * on the same Postgres evicts it within milliseconds. Pass the Database you wrote through
 * if you have it; otherwise the process's database is used.
 */
import { getDatabase, type Database } from "@/db/client";
import { processSingleton } from "@/lib/singleton";

export const KEY_CHANNEL = "modelbridge_key_changed";
export const ALL_KEYS = "*";

type Evict = (keyIdOrHash: string) => void;

// One set per process, shared by Next's bundle and server.ts's copy of lib/.
const localEvictors = processSingleton("gateway.key-evictors", () => new Set<Evict>());

/** Key stores register here to hear about changes made in this process. */
export function onLocalKeyChange(evict: Evict): () => void {
  localEvictors.add(evict);
  return () => localEvictors.delete(evict);
}

export async function notifyKeyChanged(keyIdOrHash: string, database?: Database): Promise<void> {
  for (const evict of localEvictors) evict(keyIdOrHash);
  const target = database ?? (await getDatabase());
  await target.notify(KEY_CHANNEL, keyIdOrHash);
}
