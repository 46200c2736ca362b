import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { ALL_KEYS } from "./key-notify";
import type { KeyRecord } from "./types";

/**
 * Keys by SHA-256, cached so that a warm key costs no query. Unknown hashes are cached
 * briefly too (a client retrying a bad key must not hammer the database). Entries are
 * evicted by id or hash when the key changes (see key-notify.ts); the TTL is only a safety
 * net for a missed notification.
 */
export type KeyLoader = (hash: string) => Promise<KeyRecord | null>;

export interface KeyStoreOptions {
  max?: number;
  ttlMs?: number;
  negativeTtlMs?: number;
}

const MISSING = Symbol("missing");
type Entry = KeyRecord | typeof MISSING;

export class KeyStore {
  private readonly cache: LRUCache<string, Entry>;
  private readonly hashById = new Map<string, string>();
  private readonly inflight = new Map<string, Promise<KeyRecord | null>>();
  private readonly negativeTtlMs: number;
  /** Bumped by every eviction: a lookup that started before it must not cache its stale row. */
  private generation = 0;
  /** Lookups served from memory and lookups that went to the database (for /metrics). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly load: KeyLoader,
    options: KeyStoreOptions = {},
  ) {
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.cache = new LRUCache<string, Entry>({
      max: options.max ?? 50_000,
      ttl: options.ttlMs ?? 60_000,
      dispose: (value) => {
        if (value !== MISSING) this.hashById.delete(value.id);
      },
    });
  }

  /** From memory when cached (a plain value), else a promise of the database's answer. */
  get(hash: string): KeyRecord | null | Promise<KeyRecord | null> {
    const cached = this.cache.get(hash);
    if (cached !== undefined) {
      this.hits++;
      return cached === MISSING ? null : cached;
    }
    this.misses++;
    const pending = this.inflight.get(hash);
    if (pending) return pending;
    const generation = this.generation;
    const lookup = this.load(hash)
      .then((record) => {
        if (generation === this.generation) {
          if (record) {
            this.cache.set(hash, record);
            this.hashById.set(record.id, hash);
          } else {
            this.cache.set(hash, MISSING, { ttl: this.negativeTtlMs });
          }
        }
        return record;
      })
      .finally(() => this.inflight.delete(hash));
    this.inflight.set(hash, lookup);
    return lookup;
  }

  /** By key id, by hash, or `*` for everything. */
  evict(keyIdOrHash: string): void {
    this.generation++;
    this.inflight.clear();
    if (keyIdOrHash === ALL_KEYS) {
      this.cache.clear();
      this.hashById.clear();
      return;
    }
    const hash = this.hashById.get(keyIdOrHash) ?? keyIdOrHash;
    this.cache.delete(hash);
  }

  /** After a settlement: keeps the in-memory spend close so that a spent key is refused without a query. */
  noteSpend(keyId: string, spend: bigint): void {
    const hash = this.hashById.get(keyId);
    const entry = hash ? this.cache.peek(hash) : undefined;
    if (entry && entry !== MISSING && spend > entry.spend) entry.spend = spend;
  }
}

export function databaseKeyLoader(db: Db): KeyLoader {
  return async (hash) => {
    const [row] = await db
      .select({
        id: apiKeys.id,
        type: apiKeys.type,
        createdBy: apiKeys.createdBy,
        teamId: apiKeys.teamId,
        spendingLimit: apiKeys.spendingLimit,
        spend: apiKeys.spend,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
        ownerDisabledAt: users.disabledAt,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.createdBy))
      .where(eq(apiKeys.keyHash, hash))
      .limit(1);
    if (!row) return null;
    const { ownerDisabledAt, ...key } = row;
    return { ...key, ownerDisabled: ownerDisabledAt !== null };
  };
}
