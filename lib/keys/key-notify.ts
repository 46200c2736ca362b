/**
 * ── For code that changes API keys (revoke, limit, expiry, owner disabled…) ──────────────
 *
 *   import { notifyKeyChanged } from "@/lib/keys/key-notify";
 *   await notifyKeyChanged(key.id);            // after the UPDATE has committed
 *   await notifyKeyChanged("*");               // many keys at once (e.g. a user disabled)
 *
 * The gateway caches keys in memory so that a request needs no query: this evicts the key
 * here at once and in every other process through NOTIFY (lib/invalidation-channel.ts).
 * Pass the Database you wrote through if you have it; otherwise the process's is used.
 */
import { getDatabase, type Database } from "@/db/client";
import { invalidationChannel, plainText } from "@/lib/invalidation-channel";

export const keyChannel = invalidationChannel("modelbridge_key_changed", plainText);
export const KEY_CHANNEL = keyChannel.name;
export const ALL_KEYS = "*";

/** Key stores register here to hear about changes made in this process. */
export const onLocalKeyChange = keyChannel.onLocal;

export async function notifyKeyChanged(keyIdOrHash: string, database?: Database): Promise<void> {
  const target = database ?? (await getDatabase());
  await keyChannel.publish(keyIdOrHash, (channel, payload) => target.notify(channel, payload));
}
