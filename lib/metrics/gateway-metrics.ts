import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { processSingleton } from "@/lib/singleton";
import type { UsageEvent } from "@/lib/gateway/types";
import { malformedEventsSkipped } from "@/lib/gateway/relay/stream-counters";

/**
 * What operators watch the gateway with, in Prometheus format (prom-client). Fed from the
 * one place every /v1 request ends — its usage event (see metered-usage-sink.ts) — so the
 * hot path pays a few counter increments and no extra work. Label children are cached in
 * nested maps: prom-client's `labels()` hashes its arguments on every call, and so does its
 * child's `inc()`, so counters add to a plain number that is handed to prom-client when
 * /metrics is scraped (every counter's `collect`).
 *
 * The `model` label is the REGISTERED model's name, never what the client sent: a client
 * sending random model names must not be able to grow the label set without bound.
 */
export interface MetricSource {
  keyCacheHits(): number;
  keyCacheMisses(): number;
  pendingRecords(): number;
  recordsSetAside(): number;
  /** Breakers this process knows to be not closed, by deployment id (absent: closed). */
  breakerStates?(): Map<string, "open" | "probing" | "half-open">;
}

export interface GatewayMetrics {
  registry: Registry;
  observe(event: UsageEvent): void;
  /** A runtime reports its key cache and usage buffer; returns a function to stop. */
  watch(source: MetricSource): () => void;
}

const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

type Child = { inc(value?: number): void };
type Observer = { observe(value: number): void };

/** A counter child's increments since the last scrape. */
class PendingCount implements Child {
  private value = 0;
  constructor(private readonly child: Child) {}
  inc(value = 1): void {
    this.value += value;
  }
  flush(): void {
    if (this.value === 0) return;
    this.child.inc(this.value);
    this.value = 0;
  }
}

/** A per-label-tuple child, created once: no string key or label object per request. */
function cached<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "modelbridge_process_" });
  const sources = new Set<MetricSource>();
  const sum = (read: (source: MetricSource) => number) =>
    [...sources].reduce((total, source) => total + read(source), 0);
  const pendingCounts: PendingCount[] = [];
  const deferred = (child: Child) => {
    const pending = new PendingCount(child);
    pendingCounts.push(pending);
    return pending;
  };
  // Every counter's collect() hands over all pending counts: whichever prom-client reads first.
  const collect = () => {
    for (const pending of pendingCounts) pending.flush();
  };

  const requests = new Counter({
    name: "modelbridge_requests_total",
    help: "/v1 requests by route, status and model.",
    labelNames: ["route", "status", "model"],
    registers: [registry],
    collect,
  });
  const gatewaySeconds = new Histogram({
    name: "modelbridge_gateway_seconds",
    help: "Time spent in the gateway itself (total latency minus upstream time), by route.",
    labelNames: ["route"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: "modelbridge_upstream_seconds",
    help: "Time from sending to the model server until its answer ended, by model.",
    labelNames: ["model"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamErrors = new Counter({
    name: "modelbridge_upstream_errors_total",
    help: "Upstream failures by model and error code.",
    labelNames: ["model", "code"],
    registers: [registry],
    collect,
  });
  const tokens = new Counter({
    name: "modelbridge_tokens_total",
    help: "Tokens metered, by model and kind (prompt or completion).",
    labelNames: ["model", "kind"],
    registers: [registry],
    collect,
  });
  const spend = new Counter({
    name: "modelbridge_spend_micro_units_total",
    help: "Cost charged, in micro-units of the billing currency, by model.",
    labelNames: ["model"],
    registers: [registry],
    collect,
  });

  // Read from the runtime at scrape time: nothing to do on the request path.
  let lastHits = 0;
  let lastMisses = 0;
  const keyCache = new Counter({
    name: "modelbridge_key_cache_lookups_total",
    help: "API key lookups by result: hit (served from memory) or miss (went to the database).",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      const hits = sum((s) => s.keyCacheHits());
      const misses = sum((s) => s.keyCacheMisses());
      if (hits > lastHits) this.labels("hit").inc(hits - lastHits);
      if (misses > lastMisses) this.labels("miss").inc(misses - lastMisses);
      lastHits = Math.max(lastHits, hits);
      lastMisses = Math.max(lastMisses, misses);
    },
  });
  keyCache.labels("hit").inc(0);
  keyCache.labels("miss").inc(0);
  let lastSetAside = 0;
  new Counter({
    name: "modelbridge_usage_records_set_aside_total",
    help: "Request records the database refused on their own, dropped so that the rest are stored (each is logged once).",
    registers: [registry],
    collect() {
      const total = sum((s) => s.recordsSetAside());
      if (total > lastSetAside) this.inc(total - lastSetAside);
      lastSetAside = Math.max(lastSetAside, total);
    },
  });
  new Gauge({
    name: "modelbridge_usage_records_pending",
    help: "Request records buffered in memory, not yet written to the database (bounded; see usage-sink.ts).",
    registers: [registry],
    collect() {
      this.set(sum((s) => s.pendingRecords()));
    },
  });

  // Routing (PRODUCT.md "Health you can see"): attempts by deployment and outcome, time to
  // first byte by model, breaker state by deployment, malformed stream events skipped.
  const attempts = new Counter({
    name: "modelbridge_upstream_attempts_total",
    help: "Upstream attempts by model, deployment and outcome (ok, server_error, rate_limited, silent, unreachable, credential_refused, context_length, refused, busy).",
    labelNames: ["model", "deployment", "outcome"],
    registers: [registry],
    collect,
  });
  const ttfbSeconds = new Histogram({
    name: "modelbridge_upstream_ttfb_seconds",
    help: "Time from sending to the answering deployment until its first content (streams) or its answer, by model.",
    labelNames: ["model"],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "modelbridge_deployment_breaker_open",
    help: "Deployments whose circuit breaker is not closed, as this process sees them (1 open, 0.5 probing).",
    labelNames: ["deployment"],
    registers: [registry],
    collect() {
      this.reset();
      for (const source of sources)
        for (const [id, state] of source.breakerStates?.() ?? [])
          this.labels(id).set(state === "open" ? 1 : 0.5);
    },
  });
  let lastMalformed = 0;
  new Counter({
    name: "modelbridge_stream_malformed_events_total",
    help: "Malformed events in upstream streams, skipped (the stream went on).",
    registers: [registry],
    collect() {
      const total = malformedEventsSkipped();
      if (total > lastMalformed) this.inc(total - lastMalformed);
      lastMalformed = Math.max(lastMalformed, total);
    },
  });
  const attemptChildren = new Map<string, Map<string, Map<string, Child>>>();
  const ttfbChildren = new Map<string, Observer>();
  const countAttempt = (model: string, deployment: string, outcome: string) =>
    cached(
      cached(
        cached(attemptChildren, model, () => new Map<string, Map<string, Child>>()),
        deployment,
        () => new Map<string, Child>(),
      ),
      outcome,
      () => deferred(attempts.labels(model, deployment, outcome)),
    ).inc();

  const shortfall = new Counter({
    name: "modelbridge_reservation_shortfall_micro_units_total",
    help: "Cost charged beyond what the request had reserved (its estimate fell short; the key paid it), in micro-units, by model.",
    labelNames: ["model"],
    registers: [registry],
    collect,
  });
  const shortfalls = new Counter({
    name: "modelbridge_reservation_shortfalls_total",
    help: "Requests whose cost exceeded their reservation, by model.",
    labelNames: ["model"],
    registers: [registry],
    collect,
  });
  const shortfallChildren = new Map<string, { count: Child; amount: Child }>();
  const requestChildren = new Map<string, Map<number, Map<string, Child>>>();
  const gatewayChildren = new Map<string, Observer>();
  const upstreamChildren = new Map<string, Observer>();
  const errorChildren = new Map<string, Map<string, Child>>();
  const tokenChildren = new Map<string, { prompt: Child; completion: Child; spend: Child }>();

  return {
    registry,
    observe(event) {
      const model = event.model?.name ?? "none";
      const route = event.endpoint;
      const byStatus = cached(requestChildren, route, () => new Map<number, Map<string, Child>>());
      const byModel = cached(byStatus, event.status, () => new Map<string, Child>());
      cached(byModel, model, () =>
        deferred(requests.labels(route, String(event.status), model)),
      ).inc();
      const upstreamMs = event.upstreamMs ?? 0;
      cached(gatewayChildren, route, () => gatewaySeconds.labels(route)).observe(
        Math.max(0, event.latencyMs - upstreamMs) / 1000,
      );
      if (event.upstreamMs !== null)
        cached(upstreamChildren, model, () => upstreamSeconds.labels(model)).observe(
          event.upstreamMs / 1000,
        );
      if (event.attempts) {
        for (const attempt of event.attempts)
          countAttempt(attempt.model, attempt.deployment, attempt.outcome);
      } else if (event.deploymentId) countAttempt(model, event.deploymentId, "ok");
      if (event.ttfbMs != null)
        cached(ttfbChildren, model, () => ttfbSeconds.labels(model)).observe(event.ttfbMs / 1000);
      if (event.errorCode !== null && event.errorCode.startsWith("upstream_")) {
        const code = event.errorCode;
        cached(
          cached(errorChildren, model, () => new Map<string, Child>()),
          code,
          () => deferred(upstreamErrors.labels(model, code)),
        ).inc();
      }
      if (event.promptTokens > 0 || event.completionTokens > 0 || event.cost > 0n) {
        const children = cached(tokenChildren, model, () => ({
          prompt: deferred(tokens.labels(model, "prompt")),
          completion: deferred(tokens.labels(model, "completion")),
          spend: deferred(spend.labels(model)),
        }));
        children.prompt.inc(event.promptTokens);
        children.completion.inc(event.completionTokens);
        children.spend.inc(Number(event.cost));
      }
      if (event.shortfall !== undefined && event.shortfall > 0n) {
        const children = cached(shortfallChildren, model, () => ({
          count: deferred(shortfalls.labels(model)),
          amount: deferred(shortfall.labels(model)),
        }));
        children.count.inc();
        children.amount.inc(Number(event.shortfall));
      }
    },
    watch(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
  };
}

/** One per process: server.ts and Next's bundles each load lib/ but must share it. */
export function gatewayMetrics(): GatewayMetrics {
  return processSingleton("gateway.metrics", createGatewayMetrics);
}
