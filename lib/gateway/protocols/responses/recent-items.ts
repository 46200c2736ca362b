import { LRUCache } from "lru-cache";

/**
 * Output items this process answered with recently, by key and item id, so that an
 * `item_reference` to one can be resolved without a response store. The Vercel AI SDK
 * sends earlier assistant turns as references by default (its `store` option is on unless
 * set off), so multi-turn conversations need this. Bounded in bytes and time; a reference
 * it no longer holds (another process, a restart, an hour later) is refused with a 400
 * that says to send the item itself.
 */
type Item = Record<string, unknown>;

const items = new LRUCache<string, Item>({
  maxSize: 64 * 1024 * 1024,
  sizeCalculation: (item) => Math.max(1, JSON.stringify(item).length),
  ttl: 60 * 60 * 1000,
});

const slot = (keyId: string, itemId: string) => `${keyId}\u0000${itemId}`;

export function rememberItems(keyId: string, output: Item[]): void {
  for (const item of output) if (typeof item.id === "string") items.set(slot(keyId, item.id), item);
}

/** The input with each reference this process still holds replaced by its item. */
export function resolveReferences(keyId: string, input: unknown): unknown {
  if (!Array.isArray(input) || !input.some((item) => (item as Item)?.type === "item_reference"))
    return input;
  return input.map((raw) => {
    const item = raw as Item;
    if (item?.type !== "item_reference" || typeof item.id !== "string") return raw;
    return items.get(slot(keyId, item.id)) ?? raw;
  });
}
