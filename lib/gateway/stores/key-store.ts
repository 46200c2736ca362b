import { eq, or, sql } from "drizzle-orm";
import type { PayloadCaptureSetting } from "@/db/schema/payload-capture";
import { LRUCache } from "lru-cache";
import type { Db } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { compileAllowlist } from "@/lib/keys/ip-allowlist";
import { ALL_KEYS } from "../../keys/key-notify";
import type { KeyRecord } from "../types";

/**
 * Keys by SHA-256, cached so that a warm key costs no query. Unknown hashes are cached
 * briefly too (a client retrying a bad key must not hammer the database). Entries are
 * evicted by id or hash when the key changes (see lib/keys/key-notify.ts); the TTL is only a safety
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
  /** A rolled key is cached under its new and (during the grace) its old hash. */
  private readonly hashById = new Map<string, Set<string>>();
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
      dispose: (value, hash) => {
        if (value === MISSING) return;
        const hashes = this.hashById.get(value.id);
        hashes?.delete(hash);
        if (hashes?.size === 0) this.hashById.delete(value.id);
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
            const hashes = this.hashById.get(record.id) ?? new Set<string>();
            hashes.add(hash);
            this.hashById.set(record.id, hashes);
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
    const hashes = this.hashById.get(keyIdOrHash);
    if (hashes) for (const hash of [...hashes]) this.cache.delete(hash);
    else this.cache.delete(keyIdOrHash);
  }

  /**
   * After a settlement: keeps the in-memory spend close so that a spent key is refused
   * without a query. `period`: the period's start and spend as the lease knows them.
   */
  noteSpend(keyId: string, spend: bigint, period?: { start: Date | null; spend: bigint }): void {
    for (const hash of this.hashById.get(keyId) ?? []) {
      const entry = this.cache.peek(hash);
      if (!entry || entry === MISSING) continue;
      if (spend > entry.spend) entry.spend = spend;
      if (!period) continue;
      const same = (entry.periodStart?.getTime() ?? null) === (period.start?.getTime() ?? null);
      if (
        same
          ? period.spend > entry.periodSpend
          : (period.start?.getTime() ?? 0) > (entry.periodStart?.getTime() ?? 0)
      ) {
        entry.periodStart = period.start;
        entry.periodSpend = period.spend;
      }
    }
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
        pausedAt: apiKeys.pausedAt,
        allowedModels: apiKeys.allowedModels,
        ipAllowlist: apiKeys.ipAllowlist,
        requestsPerMinute: apiKeys.requestsPerMinute,
        tokensPerMinute: apiKeys.tokensPerMinute,
        maxConcurrent: apiKeys.maxConcurrent,
        budgetPeriod: apiKeys.budgetPeriod,
        periodStart: apiKeys.periodStart,
        periodSpend: apiKeys.periodSpend,
        keyHash: apiKeys.keyHash,
        previousKeyExpiresAt: apiKeys.previousKeyExpiresAt,
        // The key's own capture setting, else its team's, else the instance's: one lookup
        // per cached key. A team or instance change evicts every key (lib/requests/capture-settings.ts).
        payloadCapture: sql<PayloadCaptureSetting | null>`coalesce(${apiKeys.payloadCapture},
          (select t.payload_capture from teams t where t.id = ${apiKeys.teamId}),
          (select s.payload_capture from instance_settings s where s.id = 1))`,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.createdBy))
      .where(or(eq(apiKeys.keyHash, hash), eq(apiKeys.previousKeyHash, hash)))
      .limit(1);
    if (!row) return null;
    const {
      ownerDisabledAt,
      allowedModels,
      ipAllowlist,
      requestsPerMinute,
      tokensPerMinute,
      maxConcurrent,
      keyHash,
      previousKeyExpiresAt,
      payloadCapture,
      ...key
    } = row;
    const limited =
      requestsPerMinute !== null || tokensPerMinute !== null || maxConcurrent !== null;
    return {
      ...key,
      ownerDisabled: ownerDisabledAt !== null,
      allowedModels: allowedModels ? new Set(allowedModels) : null,
      ipRanges: ipAllowlist ? compileAllowlist(ipAllowlist) : null,
      rateLimits: limited ? { requestsPerMinute, tokensPerMinute, maxConcurrent } : null,
      // Found by the secret a roll replaced: it works until then (an old time: refused).
      previousSecretUntil: keyHash === hash ? null : (previousKeyExpiresAt ?? new Date(0)),
      payloadCapture: captureInForce(payloadCapture),
    };
  };
}

/** jsonb comes back parsed from both drivers; a string would be an older driver's. */
function captureInForce(raw: unknown): { sampleRate: number } | null {
  const setting = (typeof raw === "string" ? JSON.parse(raw) : raw) as PayloadCaptureSetting | null;
  if (!setting?.enabled || !(setting.sampleRate > 0)) return null;
  return { sampleRate: Math.min(1, setting.sampleRate) };
}
