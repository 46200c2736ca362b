import type { UsageAttempt } from "@/db/schema/usage";
import type { Owner } from "@/lib/billing/balance";
import type { PayloadCapture } from "./relay/payload-capture";
import type { RateTicket } from "./stores/rate-limit/types";
import type { RequestTrace } from "./tracing/trace-types";
import type { KeyRecord, ResolvedModel } from "./types";

/** What one `/v1` request has learned so far; filled in as it passes each step. */
export interface Reservation {
  keyId: string;
  amount: bigint;
  /** The budget, not the request, set the amount: max_tokens was lowered to fit it. */
  capped: boolean;
  /** The budget period (start, ms) the request started in: its cost counts there. Null: no periods. */
  periodStart: number | null;
}

export interface RequestContext {
  requestId: string;
  startedAt: number;
  endpoint: string;
  key: KeyRecord | null;
  modelName: string;
  model: ResolvedModel | null;
  /** gen_ai.provider.name of ctx.model's provider (its telemetryName), set with ctx.model. */
  providerName: string | null;
  streamed: boolean;
  reservation: Reservation | null;
  /** The key's rate-limit admission, settled with the real token count at the end. */
  rateTicket: RateTicket | null;
  /** The answering deployment's own rate-limit admission (pipeline/attempts/deployment-limits.ts). */
  deploymentTicket?: RateTicket | null;
  /** x-ratelimit-* headers for every answer to a key with a rate limit. */
  rateHeaders: Record<string, string> | null;
  upstreamStartedAt: number | null;
  finished: boolean;
  /**
   * The usage row's commit, when the sink is durable and the request cost money (else null):
   * the answer's end waits for it (pipeline/hold-until-recorded.ts). Set by finishRequest.
   */
  recorded?: Promise<void> | null;
  /** Called once finishRequest has run (set by whoever waits for it to). */
  onFinished?: (() => void) | null;
  /** Set for an unknown path only: what was asked, for the log line. */
  path: string | null;
  /** A key that was found but refused: named in the log line, never charged. */
  refusedKeyId: string | null;
  /** What a translation left out (hosted tools…), for the log line; absent when nothing. */
  dropped?: string[];
  /** Upstream attempts so far (pipeline/attempts/attempt-loop.ts); null until the first. */
  attempts: UsageAttempt[] | null;
  /** The deployment that answered, and how long it took to its first content. */
  deploymentId: string | null;
  ttfbMs: number | null;
  /** Upstream attempts made, and the model asked for when a fallback answered (x-modelbridge-*). */
  attemptCount: number;
  fallbackFrom: string | null;
  /** The request's span when tracing is on (deps.tracer), else null. */
  trace: RequestTrace | null;
  /** The client's headers (lower-case names): its address and User-Agent go on the usage row. */
  headers?: Record<string, string | undefined>;
  /** Set when payload capture covers this request (sampled): filled as it runs. */
  capture?: PayloadCapture | null;
  /** Held of the owner's balance (overage off), settled with the cost at the end. */
  balanceHold?: { owner: Owner; amount: bigint } | null;
}

export function newContext(requestId: string, startedAt: number, endpoint: string): RequestContext {
  return {
    requestId,
    startedAt,
    endpoint,
    key: null,
    modelName: "",
    model: null,
    providerName: null,
    streamed: false,
    reservation: null,
    rateTicket: null,
    rateHeaders: null,
    upstreamStartedAt: null,
    finished: false,
    path: null,
    refusedKeyId: null,
    attempts: null,
    deploymentId: null,
    ttfbMs: null,
    attemptCount: 0,
    fallbackFrom: null,
    trace: null,
  };
}
