import type { AttemptFailure } from "../../relay/attempt-failure";

/**
 * PRODUCT.md's one table of upstream outcomes, as a pure function: what the attempt loop
 * does next and what the deployment's breaker hears. Nothing else in the gateway decides
 * whether to retry (the upstream client never retries on its own).
 */
export type Outcome =
  | "unreachable"
  | "server_error"
  | "rate_limited"
  | "silent"
  | "credential_refused"
  | "context_length"
  | "refused"
  | "client_left"
  | "busy";

export interface Decision {
  outcome: Outcome;
  /** `next`: another deployment or fallback; `larger-context`: only fallbacks with a larger window; `fail`: the client gets this error; `stop`: nothing more. */
  action: "next" | "larger-context" | "fail" | "stop";
  /**
   * When this deployment may be tried again within the request: `backoff` (after a
   * jittered backoff), a wait in ms (its Retry-After), or `never`.
   */
  sameAgain: "backoff" | number | "never";
  /** What the breaker hears: a transient failure, an opening for Retry-After, unhealthy, nothing. */
  breaker: "failure" | "retry-after" | "unhealthy" | "none";
}

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504, 529]);

export function classifyOutcome(failure: AttemptFailure): Decision {
  switch (failure.kind) {
    case "client-left":
      return { outcome: "client_left", action: "stop", sameAgain: "never", breaker: "none" };
    case "transport":
    case "connect-timeout":
    case "stream-broken-before-content":
      return { outcome: "unreachable", action: "next", sameAgain: "backoff", breaker: "failure" };
    case "connection-share":
      // Our pool was busy (one tenant's flood, or all of them): another deployment may have
      // room, this one is not tried again in the request, and its breaker hears nothing.
      return { outcome: "busy", action: "next", sameAgain: "never", breaker: "none" };
    case "first-byte-timeout":
      return { outcome: "silent", action: "next", sameAgain: "never", breaker: "failure" };
    case "status":
      return classifyStatus(failure.status, failure.retryAfterMs, failure.body);
  }
}

function classifyStatus(status: number, retryAfterMs: number | null, body: string): Decision {
  if (TRANSIENT_STATUSES.has(status))
    return { outcome: "server_error", action: "next", sameAgain: "backoff", breaker: "failure" };
  if (status === 429)
    return {
      outcome: "rate_limited",
      action: "next",
      sameAgain: retryAfterMs ?? "backoff",
      breaker: retryAfterMs === null ? "failure" : "retry-after",
    };
  if (status === 401 || status === 403)
    return {
      outcome: "credential_refused",
      action: "next",
      sameAgain: "never",
      breaker: "unhealthy",
    };
  if (status >= 400 && status < 500 && isContextLength(body))
    return {
      outcome: "context_length",
      action: "larger-context",
      sameAgain: "never",
      breaker: "none",
    };
  // Content-policy refusals and any other 4xx are the request's, not the server's.
  if (status >= 400 && status < 500)
    return { outcome: "refused", action: "fail", sameAgain: "never", breaker: "none" };
  // Redirects and other oddities: the server is misbehaving; try another.
  return { outcome: "server_error", action: "next", sameAgain: "backoff", breaker: "failure" };
}

/** OpenAI's `context_length_exceeded`, Anthropic's "prompt is too long", vLLM's wording. */
export function isContextLength(body: string): boolean {
  return (
    body.includes("context_length_exceeded") ||
    /prompt is too long|maximum context length|context window|too many tokens/i.test(body)
  );
}
