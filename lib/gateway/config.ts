import { z } from "zod";

/** Gateway-only settings, from the environment, with defaults that suit a single box. */
const schema = z.object({
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(8 * 1024 * 1024),
  GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: z.coerce.number().int().min(1024).default(32 * 1024 * 1024),
  GATEWAY_ECHO_PACE_MS: z.coerce.number().int().min(0).default(15),
  /** How long a request waits for in-flight requests of its key to settle and free budget. */
  GATEWAY_RESERVATION_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  GATEWAY_USAGE_FLUSH_MS: z.coerce.number().int().min(10).default(1000),
  /** A process's budget lease not renewed for this long (it crashed) is given back to the key. */
  GATEWAY_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How long a non-streamed request's upstream may go on after its client left, for its usage to be charged. */
  GATEWAY_ABORT_GRACE_MS: z.coerce.number().int().min(0).default(5000),
  KEY_PREFIX: z.string().default("mb_"),
});

export interface GatewayConfig {
  maxBodyBytes: number;
  maxUpstreamResponseBytes: number;
  echoPaceMs: number;
  reservationWaitMs: number;
  usageFlushMs: number;
  abortGraceMs: number;
  leaseTtlMs: number;
  keyPrefixBase: string;
}

export function gatewayConfigFromEnv(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const parsed = schema.parse(source);
  return {
    maxBodyBytes: parsed.GATEWAY_MAX_BODY_BYTES,
    maxUpstreamResponseBytes: parsed.GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES,
    echoPaceMs: parsed.GATEWAY_ECHO_PACE_MS,
    reservationWaitMs: parsed.GATEWAY_RESERVATION_WAIT_MS,
    usageFlushMs: parsed.GATEWAY_USAGE_FLUSH_MS,
    abortGraceMs: parsed.GATEWAY_ABORT_GRACE_MS,
    leaseTtlMs: parsed.GATEWAY_LEASE_TTL_MS,
    keyPrefixBase: parsed.KEY_PREFIX,
  };
}
