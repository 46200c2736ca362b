/**
 * An error as it may be written to a log: never a query's parameters. Drizzle wraps every
 * driver error in one whose message is the whole SQL text plus `params: …` — for a usage
 * batch, every row of it (key ids, model names a client chose, megabytes of them). The
 * driver's own error underneath (its SQLSTATE and message) says what went wrong.
 */
const MAX_TEXT = 500;

export function loggableError(error: unknown, withStack = false): string {
  let current: unknown = error;
  // Walk past the query wrappers to the driver's error (bounded: causes can loop).
  for (let depth = 0; depth < 5 && isQueryWrapper(current); depth++) current = (current as { cause?: unknown }).cause;
  if (isQueryWrapper(current) || current === undefined) return "database query failed";
  if (!(current instanceof Error)) return String(current).slice(0, MAX_TEXT);
  const code = (current as { code?: unknown }).code;
  const text = `${typeof code === "string" ? `${code}: ` : ""}${withStack ? (current.stack ?? current.message) : current.message}`;
  return withStack ? text : text.slice(0, MAX_TEXT);
}

function isQueryWrapper(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "DrizzleQueryError" || error.message.startsWith("Failed query:");
}
