import { preloadTokenizer } from "../relay/token-estimate";
import { databaseRefusalCounter } from "../stores/refusal-counter";
import { getDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";
import { AuthFailureLimiter } from "@/lib/http/auth-failure-limiter";
import { databaseCounters } from "@/lib/limits/shared-counters";
import { loggableError } from "@/lib/errors/loggable-error";
import { jsonLogger } from "@/lib/core/json-logger";
import {
  BALANCE_CHANNEL,
  onLocalBalanceChange,
  ownerFromPayload,
} from "@/lib/billing/balance-notify";
import { gatewayMetrics } from "@/lib/metrics/gateway-metrics";
import { meteredUsageSink } from "@/lib/metrics/metered-usage-sink";
import { MODEL_CHANNEL, onLocalModelChange } from "@/lib/models/model-notify";
import { processSingleton, clearProcessSingleton } from "@/lib/singleton";
import { databaseBalanceGuard } from "../stores/balance-guard";
import { leasedBudgetStore } from "../stores/budget-lease";
import { gatewayConfigFromEnv, type GatewayConfig } from "../config";
import type { GatewayDeps } from "../deps";
import { createGateway, type Gateway } from "./gateway";
import { KEY_CHANNEL, onLocalKeyChange } from "../../keys/key-notify";
import { databaseKeyLoader, KeyStore } from "../stores/key-store";
import { databaseModelRegistry } from "../stores/model-registry";
import { leaseRateLimitStore } from "../stores/rate-limit/lease-store";
import { DEPLOYMENT_WINDOWS } from "../stores/rate-limit/lease-sql";
import { lazyRateLimitStore } from "../stores/rate-limit/lazy-store";
import { redisRateLimitStore } from "../stores/rate-limit/redis-store";
import { emitKeySpendSettled } from "../../billing/spend-events";
import { databaseResponseOwners } from "../stores/response-owners";
import { databaseBreakerStore } from "../stores/breakers/database-store";
import { redisBreakerStore } from "../stores/breakers/redis-store";
import { databaseDeploymentLoad } from "../stores/deployment-load";
import type { BreakerTransition } from "../stores/breakers/types";
import { announceDeploymentChange } from "@/lib/models/deployment-events";
import { nodeHandler, type NodeHandler } from "./node-adapter";
import { undiciUpstreamClient, type UpstreamClient } from "../relay/upstream-client";
import { databaseUsageSink } from "../stores/usage-sink";
import { databasePayloadSink } from "../stores/payload-sink";
import { startPayloadPurge } from "@/lib/requests/payload-purge";
import { databaseConversationItems } from "../stores/conversation-items";
import { webHandler, type WebHandler } from "./web-adapter";
import { processTracing } from "@/lib/telemetry/process-tracing";
import type { Tracing } from "@/lib/telemetry/start-tracing";

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
  /** A deployment's breaker opened or closed (told once, by the process that changed it). */
  onBreaker?: BreakerTransition;
  /** OpenTelemetry (tests give their own); default: the process's, from the OTEL_* variables. */
  tracing?: Tracing | null;
}

export async function createGatewayRuntime(
  database: Database,
  options: RuntimeOptions = {},
): Promise<GatewayRuntime> {
  const config = { ...gatewayConfigFromEnv(), ...options.config };
  // The reservation counts prompts with the tokenizer on the hot path: load it before serving.
  await preloadTokenizer();
  const defaultLog = options.log ? null : jsonLogger();
  const log = options.log ?? defaultLog!;
  const db = database.db;
  const pending = new Set<Promise<unknown>>();
  const tracing = options.tracing !== undefined ? options.tracing : await processTracing(log);
  // The span code (and OpenTelemetry's API) is loaded only when tracing is on.
  const tracer = tracing
    ? (await import("../tracing/request-trace")).gatewayTracer(tracing.tracer)
    : null;

  const keys = new KeyStore(databaseKeyLoader(db));
  const models = databaseModelRegistry(db);
  // Loads the cheapest price now, so that the first requests judge key status by it.
  models.smallestRequestCost();
  const balance = databaseBalanceGuard(db);
  const metrics = gatewayMetrics();
  const sink = databaseUsageSink(db, {
    intervalMs: config.usageFlushMs,
    durable: config.usageCommit === "durable",
    // A key with a limit settles its spend in its budget lease: written with the batch, so a
    // held answer waits for both. (`budget` is made below; this runs only after a commit.)
    afterCommit: (keyIds) => budget.writeSpent(keyIds),
    // Reloaded by the flush, not by the next request: the hot path never waits for a balance.
    onFlushed: (owners, charged) => balance.refresh(owners, charged),
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
    breakerStates: () => {
      const now = Date.now();
      const states = new Map<string, "open" | "probing" | "half-open">();
      for (const [id] of deps.breakers?.known() ?? []) {
        const state = deps.breakers!.availability(id, now);
        if (state !== "closed") states.set(id, state);
      }
      return states;
    },
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
  // A deployment's own per-minute limits: the same stores, on the deployments' counters.
  const deploymentLimits = lazyRateLimitStore(() =>
    redisUrl
      ? redisRateLimitStore(redisUrl, { onError: rateError, prefix: "mb:rl:deployment:" })
      : leaseRateLimitStore(db, {
          intervalMs: config.usageFlushMs,
          slotTtlMs: config.leaseTtlMs,
          onError: rateError,
          windows: DEPLOYMENT_WINDOWS,
        }),
  );

  const breakerError = (error: unknown) =>
    log({ level: "error", msg: "breaker store failed", error: loggableError(error) });
  // A breaker that opens or closes is announced to the platform admins' webhooks, once.
  const onBreaker: BreakerTransition =
    options.onBreaker ??
    ((id, change, state) => {
      const work = announceDeploymentChange(db, id, change, state).catch(breakerError);
      pending.add(work);
      void work.finally(() => pending.delete(work));
    });
  const breakers = redisUrl
    ? await redisBreakerStore(redisUrl, { onError: breakerError, onTransition: onBreaker })
    : await databaseBreakerStore(database, { onError: breakerError, onTransition: onBreaker });

  const deploymentLoad = databaseDeploymentLoad(db, {
    intervalMs: config.usageFlushMs,
    onError: (error) =>
      log({ level: "error", msg: "deployment load report failed", error: loggableError(error) }),
  });
  const refusals = databaseRefusalCounter(db, {
    intervalMs: config.usageFlushMs,
    onError: (error) =>
      log({ level: "error", msg: "refusal counts flush failed", error: loggableError(error) }),
  });
  const payloads = databasePayloadSink(db, {
    intervalMs: config.usageFlushMs,
    onError: (error) =>
      log({ level: "warn", msg: "payload capture write failed", error: loggableError(error) }),
  });
  const stopPurge = startPayloadPurge(db, config.payloadRetentionDays, clock, (error) =>
    log({ level: "warn", msg: "payload purge failed", error: loggableError(error) }),
  );
  const deps: GatewayDeps = {
    refusals,
    payloads,
    keys,
    models,
    upstream: options.upstream ?? undiciUpstreamClient(),
    budget,
    rateLimits,
    deploymentLimits,
    balance,
    usage,
    breakers,
    deploymentLoad,
    items: databaseConversationItems(db, (error) =>
      log({ level: "error", msg: "conversation items write failed", error: loggableError(error) }),
    ),
    responseOwners: databaseResponseOwners(db),
    clock,
    log,
    config,
    tracer,
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

  // Failed keys are counted on this runtime's database, shared with every other process.
  const counters = databaseCounters(db);
  const handle = createGateway(
    deps,
    AuthFailureLimiter.fromEnv("v1", async () => counters),
  );
  const flush = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await budget.flush();
    await rateLimits.flush();
    await deploymentLimits.flush();
    await deploymentLoad.flush();
    await usage.flush();
    await refusals.flush();
    await payloads.flush();
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
      await Promise.all([rateLimits.close(), deploymentLimits.close()]);
      await breakers.close();
      await deploymentLoad.close();
      await usage.close();
      await refusals.close();
      stopPurge();
      await payloads.close();
      await deps.upstream.close();
      // The process's spans go out before it ends (bounded: a hung collector waits 5 s at most).
      if (options.tracing === undefined) await tracing?.shutdown();
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
