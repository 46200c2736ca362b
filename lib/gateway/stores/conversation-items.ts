import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "@/db/client";
import { rowsOf } from "./budget";

/**
 * Output items a key was answered with on /v1/responses, by key and item id, so that an
 * `item_reference` to one resolves without the client resending it. The Vercel AI SDK sends
 * earlier assistant turns as references by default (its `store` option is on unless set
 * off), so its second turn needs them, on whichever process the load balancer picks.
 *
 * Written to the database (table `conversation_items`, kept an hour) before the answer's
 * last event leaves, so a next turn that follows at once finds them everywhere. This
 * process also keeps what it wrote or read in memory: items never change once answered, so
 * that copy is a cache that cannot go stale (only expire). A reference nobody holds (past
 * the hour, or an id that was never answered) is left as sent and refused by the
 * translation with a 400 that says to send the item itself.
 */
type Item = Record<string, unknown>;

export interface ConversationItems {
  /** Stores the items of an answer (those with an id). Resolves once they are durable. */
  remember(keyId: string, output: Item[]): Promise<void>;
  /** The input with each reference the key's items hold replaced by its item. */
  resolve(keyId: string, input: unknown): unknown | Promise<unknown>;
}

const TTL_MS = 60 * 60 * 1000;
/** Larger items are not kept: the client can send them itself (and a row stays small). */
const MAX_ITEM_BYTES = 1024 * 1024;
/** Expired rows are deleted by one in this many writes (bounded table, no timer). */
const SWEEP_EVERY = 500;

const slot = (keyId: string, itemId: string) => `${keyId}\u0000${itemId}`;
const isReference = (item: unknown): item is { type: "item_reference"; id: string } =>
  (item as Item)?.type === "item_reference" && typeof (item as Item).id === "string";

export function databaseConversationItems(
  db: Db,
  onError: (error: unknown) => void = () => {},
): ConversationItems {
  const cache = new LRUCache<string, Item>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (item) => Math.max(1, JSON.stringify(item).length),
    ttl: TTL_MS,
  });
  let writes = 0;
  return {
    async remember(keyId, output) {
      const kept = output.filter(
        (item) => typeof item.id === "string" && JSON.stringify(item).length <= MAX_ITEM_BYTES,
      );
      if (kept.length === 0) return;
      for (const item of kept) cache.set(slot(keyId, item.id as string), item);
      const values = sql.join(
        kept.map(
          (item) =>
            sql`(${keyId}::uuid, ${item.id as string}, ${JSON.stringify(item)}::jsonb, now() + ${TTL_MS}::int * interval '1 millisecond')`,
        ),
        sql`, `,
      );
      try {
        await db.execute(sql`
          insert into conversation_items (key_id, item_id, item, expires_at) values ${values}
          on conflict (key_id, item_id) do update set item = excluded.item, expires_at = excluded.expires_at`);
        if (++writes % SWEEP_EVERY === 0)
          await db.execute(sql`delete from conversation_items where expires_at < now()`);
      } catch (error) {
        // The answer is still good; only a later reference to it may have to be resent.
        onError(error);
      }
    },

    resolve(keyId, input) {
      if (!Array.isArray(input) || !input.some(isReference)) return input;
      const missing = input
        .filter(isReference)
        .map((item) => item.id)
        .filter((id) => !cache.has(slot(keyId, id)));
      const replace = () =>
        input.map((raw) => (isReference(raw) ? (cache.get(slot(keyId, raw.id)) ?? raw) : raw));
      if (missing.length === 0) return replace();
      return (async () => {
        const rows = rowsOf<{ item_id: string; item: Item | string }>(
          await db.execute(sql`
            select item_id, item from conversation_items
            where key_id = ${keyId}::uuid and expires_at > now() and item_id in (${sql.join(
              missing.map((id) => sql`${id}`),
              sql`, `,
            )})`),
        );
        for (const row of rows)
          cache.set(
            slot(keyId, row.item_id),
            typeof row.item === "string" ? (JSON.parse(row.item) as Item) : row.item,
          );
        return replace();
      })();
    },
  };
}
