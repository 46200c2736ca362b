import type { Database } from "@/db/client";
import { processSingleton } from "@/lib/singleton";

/**
 * Models are cached by the gateway of every process. After any change to the `models`
 * table call `notifyModelChanged(database, name)`: it reaches this process's registry at
 * once and other processes on the same Postgres through NOTIFY on this channel.
 */
export const MODEL_CHANNEL = "modelbridge_model_changed";

type Listener = (name: string) => void;
// Per process, not per module copy: Next's bundle and server.ts each load lib/.
const localListeners = processSingleton("models.local-listeners", () => new Set<Listener>());

/** The gateway's registry registers here to hear changes made in this process. */
export function onLocalModelChange(listener: Listener): () => void {
  localListeners.add(listener);
  return () => localListeners.delete(listener);
}

export async function notifyModelChanged(database: Database, name: string): Promise<void> {
  for (const listener of localListeners) listener(name);
  await database.notify(MODEL_CHANNEL, name);
}
