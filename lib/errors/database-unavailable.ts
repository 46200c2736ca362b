/**
 * Is this failure the database being unreachable (stopped, restarting, network gone)
 * rather than a bug? Then `/v1` answers 503 `service_unavailable` — retryable, and honest
 * that the gateway cannot check what it must (a limited key's budget, an uncached key or
 * balance) — instead of a 500 that says "our bug". Drizzle wraps driver errors, so the
 * cause chain is walked (bounded).
 */
const CONNECTION_CODES = new Set([
  // Node sockets (postgres.js passes these through).
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // postgres.js's own.
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // Postgres SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now.
  "57P01",
  "57P02",
  "57P03",
]);

/** The connection-failure code found in the error's cause chain, or null (not an outage). */
export function databaseUnavailableCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    // SQLSTATE class 08: connection exceptions.
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)))
      return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
