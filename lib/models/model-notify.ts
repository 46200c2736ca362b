import type { Database } from "@/db/client";
import { invalidationChannel, plainText } from "@/lib/invalidation-channel";

/**
 * Models are cached by the gateway of every process. After any change to the `models`
 * table call `notifyModelChanged(database, name)`: it reaches this process's registry at
 * once and other processes on the same Postgres through NOTIFY (lib/invalidation-channel.ts).
 */
export const modelChannel = invalidationChannel("modelbridge_model_changed", plainText);
export const MODEL_CHANNEL = modelChannel.name;

/** The gateway's registry registers here to hear changes made in this process. */
export const onLocalModelChange = modelChannel.onLocal;

export async function notifyModelChanged(database: Database, name: string): Promise<void> {
  await modelChannel.publish(name, (channel, payload) => database.notify(channel, payload));
}
