import type { BalanceGuard } from "./stores/balance-guard";
import type { BudgetStore } from "./stores/budget";
import type { GatewayConfig } from "./config";
import type { KeyStore } from "./stores/key-store";
import type { ModelRegistry } from "./stores/model-registry";
import type { RateLimitStore } from "./stores/rate-limit/types";
import type { ResponseOwners } from "./stores/response-owners";
import type { UpstreamClient } from "./relay/upstream-client";
import type { ConversationItems } from "./stores/conversation-items";
import type { UsageSink } from "./stores/usage-sink";
import type { PayloadSink } from "./stores/payload-sink";
import type { BreakerStore } from "./stores/breakers/types";
import type { DeploymentLoad } from "./stores/deployment-load";
import type { RefusalCounter } from "./stores/refusal-counter";
import type { GatewayTracer } from "./tracing/trace-types";

/** Everything the core needs from the outside world; tests and server.ts build it alike. */
export interface GatewayDeps {
  keys: KeyStore;
  models: ModelRegistry;
  upstream: UpstreamClient;
  budget: BudgetStore;
  /** Per-key rate limits (only keys that have one come here). */
  rateLimits: RateLimitStore;
  /** Per-deployment requests/tokens per minute, on their own counters (optional in tests). */
  deploymentLimits?: RateLimitStore;
  balance: BalanceGuard;
  usage: UsageSink;
  /** Captured payloads, written in batches like usage (absent: capture is never done). */
  payloads?: PayloadSink;
  /** Refusals of known keys, counted per key and minute (optional: tests may leave it out). */
  refusals?: RefusalCounter;
  /** /v1/responses output items, for later turns' `item_reference` (any process). */
  items: ConversationItems;
  /** Who created each response a native Responses upstream stored. */
  responseOwners: ResponseOwners;
  clock: () => number;
  /** Payload capture's sampling draw (tests pass their own); Math.random when absent. */
  random?: () => number;
  log: (line: Record<string, unknown>) => void;
  config: GatewayConfig;
  /** Circuit breakers of every deployment, shared by every process (stores/breakers). */
  breakers?: BreakerStore;
  /** Requests in flight per deployment across processes, for `least_busy` (stores/deployment-load). */
  deploymentLoad?: DeploymentLoad;
  /** OpenTelemetry spans for /v1; null (or absent) when tracing is off: no span is made. */
  tracer?: GatewayTracer | null;
  /** Settlements finish after the response; shutdown and tests wait for them. */
  track: (work: Promise<unknown>) => void;
}
