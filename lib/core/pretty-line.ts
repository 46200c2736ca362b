/**
 * LOG_FORMAT=pretty: the same events as the JSON lines, one short line each for a person at
 * a terminal: `14:02:07.113 WARN  v1 request  status=429 model=gpt-4o key_id=… trace_id=…`.
 * Colour only when writing to a terminal. Values with spaces or quotes are JSON-quoted, so a
 * line still splits unambiguously into key=value pairs.
 */
const LEVEL_COLOURS: Record<string, string> = {
  debug: "\x1b[90m",
  info: "\x1b[36m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
};
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

export function prettyLine(
  isoTime: string,
  line: Record<string, unknown>,
  colour: boolean,
): string {
  const level = typeof line.level === "string" ? line.level : "info";
  const label = level.toUpperCase().padEnd(5);
  const time = isoTime.slice(11, 23);
  let out = colour
    ? `${DIM}${time}${RESET} ${LEVEL_COLOURS[level] ?? ""}${label}${RESET} ${String(line.msg ?? "")}`
    : `${time} ${label} ${String(line.msg ?? "")}`;
  for (const name in line) {
    if (name === "level" || name === "msg") continue;
    const value = line[name];
    if (value === undefined || value === null) continue;
    const text = valueText(value);
    out += colour ? ` ${DIM}${name}=${RESET}${text}` : ` ${name}=${text}`;
  }
  return `${out}\n`;
}

function valueText(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}
