import type { GatewayDeps } from "../../deps";
import { isPromise, type MaybePromise } from "../../maybe-async";
import type { RequestContext } from "../../request-context";
import type { RateDecision } from "../../stores/rate-limit/types";
import type { ResolvedDeployment } from "../../types";
import { tokensToAdmit } from "../admit";

/**
 * A deployment's own requests/tokens per minute (PRODUCT.md "Routing": "counted across
 * processes like a key's limits; the gateway never sends more"). Counted by the same stores
 * as a key's limits (stores/rate-limit: Redis, or slices leased from Postgres), on the
 * deployment's own counters. A deployment at its limit is not an upstream failure: it is
 * skipped for another one, its breaker untouched, and tried again when its minute has room.
 *
 * Returns null when admitted (the ticket waits in ctx.deploymentTicket for the real usage),
 * else how long until the deployment's minute has room.
 */
export function admitToDeployment(
  deps: GatewayDeps,
  ctx: RequestContext,
  deployment: ResolvedDeployment,
  prompt: () => number,
  outputCap: number | null,
): MaybePromise<number | null> {
  const limits = deps.deploymentLimits;
  const { requestsPerMinute, tokensPerMinute } = deployment;
  if (!limits || (requestsPerMinute === null && tokensPerMinute === null)) return null;
  const subject = {
    id: deployment.id,
    rateLimits: { requestsPerMinute, tokensPerMinute, maxConcurrent: null },
  };
  const decision = limits.admit(
    subject,
    tokensToAdmit(tokensPerMinute, prompt, outputCap),
    deps.clock(),
  );
  const apply = (d: RateDecision): number | null => {
    if (!d.allowed) return Math.max(1, d.retryAfterMs);
    ctx.deploymentTicket = d.ticket;
    return null;
  };
  return isPromise(decision) ? decision.then(apply) : apply(decision);
}

/**
 * The attempt ended: its deployment's minute counts what it really used (a failed attempt
 * used no tokens, but its request was sent and stays counted). Exactly once per ticket.
 */
export function settleDeploymentTicket(
  deps: Pick<GatewayDeps, "deploymentLimits" | "clock" | "log">,
  ctx: RequestContext,
  tokens: number,
): void {
  const ticket = ctx.deploymentTicket;
  if (!ticket || !deps.deploymentLimits) return;
  ctx.deploymentTicket = null;
  try {
    deps.deploymentLimits.settle(ticket, tokens, deps.clock());
  } catch (error) {
    deps.log({
      level: "error",
      msg: "deployment rate limit settle failed",
      request_id: ctx.requestId,
      error: String(error),
    });
  }
}
