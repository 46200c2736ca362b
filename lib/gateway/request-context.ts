import type { RateTicket } from "./rate-limit/types";
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
  streamed: boolean;
  reservation: Reservation | null;
  /** The key's rate-limit admission, settled with the real token count at the end. */
  rateTicket: RateTicket | null;
  /** x-ratelimit-* headers for every answer to a key with a rate limit. */
  rateHeaders: Record<string, string> | null;
  upstreamStartedAt: number | null;
  finished: boolean;
  /** Set for an unknown path only: what was asked, for the log line. */
  path: string | null;
  /** A key that was found but refused: named in the log line, never charged. */
  refusedKeyId: string | null;
  /** What a translation left out (hosted tools…), for the log line; absent when nothing. */
  dropped?: string[];
}

export function newContext(requestId: string, startedAt: number, endpoint: string): RequestContext {
  return {
    requestId,
    startedAt,
    endpoint,
    key: null,
    modelName: "",
    model: null,
    streamed: false,
    reservation: null,
    rateTicket: null,
    rateHeaders: null,
    upstreamStartedAt: null,
    finished: false,
    path: null,
    refusedKeyId: null,
  };
}
