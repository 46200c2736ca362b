import type { AttemptFailure } from "./classify-outcome";

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
