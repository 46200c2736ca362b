import { getDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";
import { loggableError } from "@/lib/errors/loggable-error";
import { jsonLogger } from "@/lib/server/json-logger";
import {
  BALANCE_CHANNEL,
  onLocalBalanceChange,
  ownerFromPayload,
} from "@/lib/billing/balance-notify";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { meteredUsageSink } from "@/lib/metrics/metered-usage-sink";
import { MODEL_CHANNEL, onLocalModelChange } from "@/lib/models/model-notify";
import { processSingleton, clearProcessSingleton } from "@/lib/singleton";
import { databaseBalanceGuard } from "./balance-guard";
import { leasedBudgetStore } from "./budget-lease";
import { gatewayConfigFromEnv, type GatewayConfig } from "./config";
import type { GatewayDeps } from "./deps";
import { createGateway, type Gateway } from "./gateway";
import { KEY_CHANNEL, onLocalKeyChange } from "./key-notify";
import { databaseKeyLoader, KeyStore } from "./key-store";
import { databaseModelRegistry } from "./model-registry";
import { leaseRateLimitStore } from "./rate-limit/lease-store";
import { redisRateLimitStore } from "./rate-limit/redis-store";
import { emitKeySpendSettled } from "./spend-events";
import { nodeHandler, type NodeHandler } from "./node-adapter";
import { undiciUpstreamClient, type UpstreamClient } from "./upstream-client";
import { databaseUsageSink } from "./usage-sink";
import { webHandler, type WebHandler } from "./web-adapter";

/**
 * The gateway wired to a database: key cache with LISTEN/NOTIFY invalidation, model
 * registry, undici pools, batched usage. One per process (getGatewayRuntime) in the app;
 * tests build their own (createGatewayRuntime) to simulate several processes.
 *
 * server.ts mounts it through lib/server/gateway-mount.ts: /v1/* → runtime.handleNode(req, res);
 * on SIGTERM, after server.close(), runtime.shutdown() waits for settlements, flushes usage
 * and closes pools. The App Router's app/v1 routes use runtime.handleWeb (next dev).
 */
export interface GatewayRuntime {
  handle: Gateway;
  handleNode: NodeHandler;
  handleWeb: WebHandler;
  deps: GatewayDeps;
  /** Waits for pending settlements, then writes buffered usage records. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface RuntimeOptions {
  config?: Partial<GatewayConfig>;
  log?: (line: Record<string, unknown>) => void;
  upstream?: UpstreamClient;
  clock?: () => number;
  /** Where rate limits are counted: Redis at this URL, or Postgres (null). Default: REDIS_URL. */
  redisUrl?: string | null;
}

export async function createGatewayRuntime(
  database: Database,
  options: RuntimeOptions = {},
): Promise<GatewayRuntime> {
  const config = { ...gatewayConfigFromEnv(), ...options.config };
  const defaultLog = options.log ? null : jsonLogger();
  const log = options.log ?? defaultLog!;
  const db = database.db;
  const pending = new Set<Promise<unknown>>();

  const keys = new KeyStore(databaseKeyLoader(db));
  const models = databaseModelRegistry(db);
  // Loads the cheapest price now, so that the first requests judge key status by it.
  models.smallestRequestCost();
  const balance = databaseBalanceGuard(db);
  const metrics = gatewayMetrics();
  const sink = databaseUsageSink(db, {
    intervalMs: config.usageFlushMs,
    // Reloaded by the flush, not by the next request: the hot path never waits for a balance.
    onFlushed: (owners) => balance.refresh(owners),
    onError: (error) =>
      log({ level: "error", msg: "usage flush failed", error: loggableError(error) }),
    // Once per record, without the batch's parameters: the record stays out, metering goes on.
    onSetAside: (event, error) =>
      log({
        level: "error",
        msg: "usage record set aside",
        request_id: event.requestId,
        key_id: event.key?.id ?? null,
        error: loggableError(error),
      }),
  });
  const usage = meteredUsageSink(sink, metrics);
  const unwatch = metrics.watch({
    keyCacheHits: () => keys.hits,
    keyCacheMisses: () => keys.misses,
    pendingRecords: () => sink.pending(),
    recordsSetAside: () => sink.setAside(),
  });

  // Per-process budget leases: a key with a limit costs no round trip per request.
  const clock = options.clock ?? Date.now;
  const budget = leasedBudgetStore(db, {
    intervalMs: config.usageFlushMs,
    leaseTtlMs: config.leaseTtlMs,
    clock,
    onSettled: (keyId, row) =>
      emitKeySpendSettled({
        keyId,
        periodSpend: row.periodSpend,
        spendingLimit: row.spendingLimit,
        periodStart: row.periodStart,
        spend: row.spend,
      }),
    onError: (error) =>
      log({ level: "error", msg: "budget lease write failed", error: loggableError(error) }),
  });

  const redisUrl = options.redisUrl === undefined ? env().REDIS_URL : options.redisUrl;
  const rateError = (error: unknown) =>
    log({ level: "error", msg: "rate limit store failed", error: loggableError(error) });
  const rateLimits = redisUrl
    ? redisRateLimitStore(redisUrl, { onError: rateError })
    : leaseRateLimitStore(db, {
        intervalMs: config.usageFlushMs,
        slotTtlMs: config.leaseTtlMs,
        onError: rateError,
      });

  const deps: GatewayDeps = {
    keys,
    models,
    upstream: options.upstream ?? undiciUpstreamClient(),
    budget,
    rateLimits,
    balance,
    usage,
    clock,
    log,
    config,
    track(work) {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
  };

  // This process's changes arrive synchronously; other processes' through NOTIFY.
  // A changed key (revoked, limit edited) also gives back its budget lease.
  const keyChanged = (id: string) => {
    keys.evict(id);
    budget.drop(id);
    rateLimits.drop(id);
  };
  const offLocalKeys = onLocalKeyChange(keyChanged);
  const offLocalModels = onLocalModelChange((name) => models.evict(name));
  const offLocalBalances = onLocalBalanceChange((owner) => balance.evict(owner));
  const unlistenKeys = await database.listen(KEY_CHANNEL, keyChanged);
  const unlistenModels = await database.listen(MODEL_CHANNEL, (name) => models.evict(name));
  const unlistenBalances = await database.listen(BALANCE_CHANNEL, (payload) =>
    balance.evict(ownerFromPayload(payload) ?? "*"),
  );

  const handle = createGateway(deps);
  const flush = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await budget.flush();
    await rateLimits.flush();
    await usage.flush();
  };
  return {
    handle,
    handleNode: nodeHandler(handle),
    handleWeb: webHandler(handle),
    deps,
    flush,
    async shutdown() {
      unwatch();
      offLocalKeys();
      offLocalModels();
      offLocalBalances();
      await Promise.allSettled([unlistenKeys(), unlistenModels(), unlistenBalances()]);
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await budget.close();
      await rateLimits.close();
      await usage.close();
      await deps.upstream.close();
      defaultLog?.flush();
    },
  };
}

/** The process's gateway, on the process's database; created on first use, never at import. */
export function getGatewayRuntime(): Promise<GatewayRuntime> {
  return processSingleton("gateway.runtime", () => {
    const creating = getDatabase().then((database) => createGatewayRuntime(database));
    creating.catch(() => clearProcessSingleton("gateway.runtime"));
    return creating;
  });
}
