/** What one attempt's upstream did wrong: the input of the outcome table (classify-outcome.ts). */
export type AttemptFailure =
  | { kind: "transport"; code: string | null }
  | { kind: "connect-timeout" }
  | { kind: "first-byte-timeout" }
  /** No connection of this process's pool came free within the connect timeout (fair shares). */
  | { kind: "connection-share" }
  | { kind: "status"; status: number; retryAfterMs: number | null; body: string }
  /** The stream broke or ended before any content reached the client. */
  | { kind: "stream-broken-before-content" }
  | { kind: "client-left" };

/**
 * The upstream facts behind an error the provider call threw (its status, Retry-After and
 * body, or the transport failure), carried on the error so that the attempt loop classifies
 * the outcome while the client, if nothing else is tried, still gets the same error as before.
 */
const FAILURE = Symbol("attemptFailure");

export function withFailure<E extends object>(error: E, failure: AttemptFailure): E {
  (error as { [FAILURE]?: AttemptFailure })[FAILURE] = failure;
  return error;
}

export function failureOf(error: unknown): AttemptFailure | null {
  if (!error || typeof error !== "object") return null;
  return (error as { [FAILURE]?: AttemptFailure })[FAILURE] ?? null;
}

const TRANSPORT: Record<string, AttemptFailure> = {
  UND_ERR_CONNECT_TIMEOUT: { kind: "connect-timeout" },
  UND_ERR_HEADERS_TIMEOUT: { kind: "first-byte-timeout" },
};

/** A transport error (undici's code) as the table's input. */
export function transportFailure(error: unknown): AttemptFailure {
  const code = (error as { code?: string } | null)?.code ?? null;
  return (code && TRANSPORT[code]) || { kind: "transport", code };
}
