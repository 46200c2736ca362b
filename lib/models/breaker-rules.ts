/**
 * A deployment's circuit breaker as plain data and pure transitions, so that the database
 * store and the Redis store apply exactly the same rules (PRODUCT.md "Routing"):
 * 3 transient failures in a row, or at once a 429 with Retry-After, open it; the cooldown
 * starts at 5 s and doubles while probes keep failing, to 60 s; a longer Retry-After wins;
 * a new failure never shortens a cooldown; once it is over, one request at a time
 * (across processes) probes it, and a success closes it.
 */
export const FAILURES_TO_OPEN = 3;
export const FIRST_COOLDOWN_MS = 5_000;
export const MAX_COOLDOWN_MS = 60_000;
/** A probe's claim lapses after this, so a process that died mid-probe does not block it. */
export const PROBE_TTL_MS = 30_000;

export interface BreakerState {
  failures: number;
  /** ms since the epoch; null: closed. */
  openUntil: number | null;
  cooldownMs: number;
  probeHolder: string | null;
  probeUntil: number | null;
  /** Our credential was refused: shown as unhealthy until a success. */
  unhealthy: boolean;
  lastError: string | null;
  lastErrorAt: number | null;
}

export const CLOSED: BreakerState = Object.freeze({
  failures: 0,
  openUntil: null,
  cooldownMs: 0,
  probeHolder: null,
  probeUntil: null,
  unhealthy: false,
  lastError: null,
  lastErrorAt: null,
}) as BreakerState;

export type Availability = "closed" | "open" | "half-open" | "probing";

export function availability(state: BreakerState | undefined, now: number): Availability {
  if (!state || state.openUntil === null) return "closed";
  if (state.openUntil > now) return "open";
  if (state.probeUntil !== null && state.probeUntil > now) return "probing";
  return "half-open";
}

export interface FailureInput {
  /** From the outcome table: a transient failure, a 429's Retry-After, our credential refused. */
  kind: "failure" | "retry-after" | "unhealthy";
  retryAfterMs: number | null;
  error: string;
  /** The failing request was this deployment's probe. */
  probe: boolean;
}

export function onFailure(prev: BreakerState, input: FailureInput, now: number): BreakerState {
  const failures = prev.failures + 1;
  const wasOpen = prev.openUntil !== null;
  const opens =
    input.kind !== "failure" || failures >= FAILURES_TO_OPEN || (wasOpen && input.probe);
  const next: BreakerState = {
    ...prev,
    failures,
    unhealthy: prev.unhealthy || input.kind === "unhealthy",
    lastError: input.error.slice(0, 500),
    lastErrorAt: now,
  };
  if (input.probe) {
    next.probeHolder = null;
    next.probeUntil = null;
  }
  if (!opens && !wasOpen) return next;
  let cooldown = prev.cooldownMs || FIRST_COOLDOWN_MS;
  if (wasOpen && input.probe) cooldown = Math.min(MAX_COOLDOWN_MS, cooldown * 2);
  if (input.kind === "unhealthy") cooldown = MAX_COOLDOWN_MS;
  next.cooldownMs = cooldown;
  const wait = Math.max(cooldown, input.retryAfterMs ?? 0);
  // Never shortens: a later, shorter failure leaves the longer opening standing.
  next.openUntil = Math.max(prev.openUntil ?? 0, now + wait);
  return next;
}

/** A success closes the breaker whatever it was (a probe's, or a request already under way). */
export function needsReset(prev: BreakerState | undefined): boolean {
  return !!prev && (prev.failures > 0 || prev.openUntil !== null || prev.unhealthy);
}

export function claimProbe(
  prev: BreakerState,
  holder: string,
  now: number,
  ttlMs = PROBE_TTL_MS,
): BreakerState | null {
  if (availability(prev, now) !== "half-open") return null;
  return { ...prev, probeHolder: holder, probeUntil: now + ttlMs };
}

/** What Admin → Models and `/api/v1/models/{id}/health` call it. */
export type BreakerLabel = "healthy" | "cooling_down" | "probing" | "unhealthy";

export function breakerLabel(state: BreakerState | undefined, now: number): BreakerLabel {
  const open = availability(state, now);
  if (state?.unhealthy) return "unhealthy";
  if (open === "open") return "cooling_down";
  if (open === "probing" || open === "half-open") return "probing";
  return "healthy";
}
