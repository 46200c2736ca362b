import { parseEnv } from "@/lib/env";

export interface GatewayConfig {
  maxBodyBytes: number;
  maxUpstreamResponseBytes: number;
  echoPaceMs: number;
  reservationWaitMs: number;
  usageFlushMs: number;
  /** durable: a charged answer ends after its usage row commits (pipeline/hold-until-recorded.ts). */
  usageCommit: "durable" | "batched";
  usageCommitWaitMs: number;
  abortGraceMs: number;
  leaseTtlMs: number;
  keyPrefixBase: string;
  /** Payload capture: the most bytes kept of each body; and how many days payloads are kept. */
  payloadMaxBytes: number;
  payloadRetentionDays: number;
}

/**
 * The gateway's settings, from the variables lib/env.ts parses (GATEWAY_*, KEY_PREFIX). The
 * source is parsed on each call, not cached: tests and the bench start runtimes with
 * settings of their own.
 */
export function gatewayConfigFromEnv(
  source: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const parsed = parseEnv(source);
  return {
    maxBodyBytes: parsed.GATEWAY_MAX_BODY_BYTES,
    maxUpstreamResponseBytes: parsed.GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES,
    echoPaceMs: parsed.GATEWAY_ECHO_PACE_MS,
    reservationWaitMs: parsed.GATEWAY_RESERVATION_WAIT_MS,
    usageFlushMs: parsed.GATEWAY_USAGE_FLUSH_MS,
    usageCommit: parsed.GATEWAY_USAGE_COMMIT,
    usageCommitWaitMs: parsed.GATEWAY_USAGE_COMMIT_WAIT_MS,
    abortGraceMs: parsed.GATEWAY_ABORT_GRACE_MS,
    leaseTtlMs: parsed.GATEWAY_LEASE_TTL_MS,
    payloadMaxBytes: parsed.PAYLOAD_CAPTURE_MAX_BYTES,
    payloadRetentionDays: parsed.PAYLOAD_RETENTION_DAYS,
    keyPrefixBase: parsed.KEY_PREFIX,
  };
}
