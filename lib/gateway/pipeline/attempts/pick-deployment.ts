import type { BreakerStore } from "../../stores/breakers/types";
import { localDeploymentLoad, type DeploymentLoad } from "../../stores/deployment-load";
import type { ResolvedDeployment, ResolvedModel } from "../../types";

/**
 * What the attempt loop knows of one candidate model (the one asked for, then its fallbacks)
 * within one request: deployments it will not try again, and when it may try one again.
 */
export interface Candidate {
  model: ResolvedModel;
  attempts: number;
  /** Deployment ids not to try again within this request (made on the first failure: a request that succeeds at once allocates none). */
  excluded: Set<string> | null;
  /** Deployment id → the earliest time it may be tried again (a backoff, a Retry-After). */
  notBefore: Map<string, number> | null;
  /** Failures per deployment in this request: the backoff's exponent. */
  failures: Map<string, number> | null;
  /** Deployment id → when its own per-minute limit has room again (deployment-limits.ts). */
  limitedUntil: Map<string, number> | null;
  exhausted: boolean;
}

export const candidate = (model: ResolvedModel): Candidate => ({
  model,
  attempts: 0,
  excluded: null,
  notBefore: null,
  failures: null,
  limitedUntil: null,
  exhausted: false,
});

export type Pick =
  | { kind: "try"; deployment: ResolvedDeployment; probe: boolean }
  /** Nothing now; `backoffAt`: the earliest retry after a backoff; `reopensAt`: the earliest breaker reopening. */
  | { kind: "later"; backoffAt: number | null; reopensAt: number | null };

/** Without a shared store (tests that build their own deps): this process's counts alone. */
const processLoad = localDeploymentLoad();
export const loadOf = (load: DeploymentLoad | undefined): DeploymentLoad => load ?? processLoad;

/**
 * The next deployment of a candidate: the lowest priority tier that has one available
 * (not excluded, not waiting out a backoff, not at its own rate limit, breaker not open or
 * held by another's probe),
 * then by the model's strategy within the tier.
 */
export function pickDeployment(
  c: Candidate,
  breakers: BreakerStore | undefined,
  now: number,
  load: DeploymentLoad = processLoad,
  random: () => number = Math.random,
): Pick {
  const deployments = c.model.deployments ?? [];
  let backoffAt: number | null = null;
  let reopensAt: number | null = null;
  let tier: number | null = null;
  let chosen: ResolvedDeployment[] | null = null;
  let probes: Set<string> | null = null;
  for (const d of deployments) {
    if (c.excluded?.has(d.id)) continue;
    if (tier !== null && d.priority > tier) break;
    const waitUntil = c.notBefore?.get(d.id);
    const state = breakers?.availability(d.id, now) ?? "closed";
    if (state === "open" || state === "probing") {
      const until = breakers?.state(d.id)?.openUntil ?? now;
      const at = state === "probing" ? now + 1_000 : until;
      reopensAt = reopensAt === null ? at : Math.min(reopensAt, at);
      continue;
    }
    // At its own rate limit: unavailable like an open breaker, until its minute has room.
    const limitedUntil = c.limitedUntil?.get(d.id);
    if (limitedUntil !== undefined && limitedUntil > now) {
      reopensAt = reopensAt === null ? limitedUntil : Math.min(reopensAt, limitedUntil);
      continue;
    }
    if (waitUntil !== undefined && waitUntil > now) {
      backoffAt = backoffAt === null ? waitUntil : Math.min(backoffAt, waitUntil);
      continue;
    }
    tier = d.priority;
    (chosen ??= []).push(d);
    if (state === "half-open") (probes ??= new Set()).add(d.id);
  }
  if (!chosen) return { kind: "later", backoffAt, reopensAt };
  const deployment = chosen.length === 1 ? chosen[0] : choose(chosen, c.model, load, random);
  return { kind: "try", deployment, probe: probes?.has(deployment.id) ?? false };
}

function choose(
  list: ResolvedDeployment[],
  model: ResolvedModel,
  load: DeploymentLoad,
  random: () => number,
): ResolvedDeployment {
  const strategy = model.routing?.strategy ?? "weighted";
  if (strategy === "least_busy")
    return list.reduce((best, d) => (load.inFlight(d.id) < load.inFlight(best.id) ? d : best));
  if (strategy === "lowest_latency")
    return list.reduce((best, d) =>
      (load.latency(d.id) ?? 0) < (load.latency(best.id) ?? 0) ? d : best,
    );
  const total = list.reduce((sum, d) => sum + d.weight, 0);
  let point = random() * total;
  for (const d of list) {
    point -= d.weight;
    if (point < 0) return d;
  }
  return list[list.length - 1];
}
