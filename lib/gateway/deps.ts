import type { BalanceGuard } from "./balance-guard";
import type { BudgetStore } from "./budget";
import type { GatewayConfig } from "./config";
import type { KeyStore } from "./key-store";
import type { ModelRegistry } from "./model-registry";
import type { RateLimitStore } from "./rate-limit/types";
import type { UpstreamClient } from "./upstream-client";
import type { UsageSink } from "./usage-sink";

/** Everything the core needs from the outside world; tests and server.ts build it alike. */
export interface GatewayDeps {
  keys: KeyStore;
  models: ModelRegistry;
  upstream: UpstreamClient;
  budget: BudgetStore;
  /** Per-key rate limits (only keys that have one come here). */
  rateLimits: RateLimitStore;
  balance: BalanceGuard;
  usage: UsageSink;
  clock: () => number;
  log: (line: Record<string, unknown>) => void;
  config: GatewayConfig;
  /** Settlements finish after the response; shutdown and tests wait for them. */
  track: (work: Promise<unknown>) => void;
}
