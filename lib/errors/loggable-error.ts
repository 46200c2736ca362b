/**
 * An error as it may be written to a log. A failed database query carries its SQL and the
 * values bound to it: drizzle puts both into the message ("Failed query: … params: …"),
 * postgres.js and PGlite attach `query` / `parameters` / `params` to the error. Those
 * values are user input, key hashes, emails, credentials: a log line must never carry
 * them. What remains is enough to act on: the database's own message, its SQLSTATE code,
 * and (when asked) the stack frames, without the message line they start with.
 */
interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  stack?: string;
  cause?: unknown;
  query?: unknown;
}

const isQueryError = (error: ErrorLike) =>
  typeof error.query === "string" || "params" in error || "parameters" in error;

export function loggableError(error: unknown, options: { stack?: boolean } = {}): string {
  if (!error || typeof error !== "object") return String(error);
  const e = error as ErrorLike;
  let text: string;
  if (isQueryError(e)) {
    // drizzle's wrapper has the driver's error as its cause; the driver's own error has its message.
    const driver = (e.cause && typeof e.cause === "object" ? e.cause : e) as ErrorLike;
    const ownMessage = driver === e ? e.message : driver.message;
    const safe =
      typeof ownMessage === "string" && !ownMessage.startsWith("Failed query:")
        ? ownMessage
        : "query failed";
    const code = typeof driver.code === "string" ? ` [${driver.code}]` : "";
    text = `DatabaseError${code}: ${safe}`;
  } else {
    text = `${e.name ?? "Error"}: ${e.message ?? ""}`;
  }
  if (options.stack && typeof e.stack === "string") {
    const frames = e.stack.split("\n").filter((line) => line.startsWith("    at "));
    if (frames.length) text += `\n${frames.join("\n")}`;
  }
  return text;
}
