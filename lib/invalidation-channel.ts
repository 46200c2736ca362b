import { processSingleton } from "@/lib/singleton";

/**
 * A cache-invalidation channel: code that changed a row calls `publish` after its commit,
 * which tells this process's caches at once (synchronously, so the very next request here
 * sees the change) and every other process on the same Postgres through NOTIFY on `name`.
 * The gateway's runtime hears both: `onLocal` for this process, LISTEN for the others.
 * The listeners are per process, not per module copy: Next's bundle and server.ts each load lib/.
 */
export interface InvalidationChannel<T> {
  readonly name: string;
  /** Registers a listener for changes made in this process; returns its removal. */
  onLocal(listener: (value: T) => void): () => void;
  /** Tells this process's listeners, then sends the NOTIFY through `notify`. */
  publish(value: T, notify: (channel: string, payload: string) => Promise<unknown>): Promise<void>;
  /** A NOTIFY payload back into a value; null when it is not one. */
  decode(payload: string): T | null;
}

export function invalidationChannel<T>(
  name: string,
  codec: { encode(value: T): string; decode(payload: string): T | null },
): InvalidationChannel<T> {
  const listeners = processSingleton(`invalidation.${name}`, () => new Set<(value: T) => void>());
  return {
    name,
    onLocal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(value, notify) {
      for (const listener of listeners) listener(value);
      await notify(name, codec.encode(value));
    },
    decode: codec.decode,
  };
}

/** For channels whose payload is the value itself (an id, a name). */
export const plainText = { encode: (value: string) => value, decode: (payload: string) => payload };
