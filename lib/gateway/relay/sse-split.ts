/**
 * Splits an upstream's SSE bytes into whole events without copying what it does not look
 * at: each event keeps its raw text (forwarded as it came) and its data and event name
 * (what metering reads). `aligned` tells the relay that a network chunk held whole events
 * only, so that it can forward the chunk's own bytes untouched.
 */
export interface SseEvent {
  /** The event as it came, blank line included. */
  raw: string;
  /** The `event:` field, if any. */
  event: string | undefined;
  /** The `data:` lines joined by "\n"; null for a block without data (a comment, a keep-alive). */
  data: string | null;
}

export interface SplitChunk {
  events: SseEvent[];
  /** The chunk began and ended on event boundaries, and its text is exactly the events' raw text. */
  aligned: boolean;
}

export class SseSplitter {
  private readonly decoder = new TextDecoder();
  private rest = "";

  push(bytes: Uint8Array): SplitChunk {
    const text = this.decoder.decode(bytes, { stream: true });
    const startedClean = this.rest === "";
    let buffer = this.rest + text;
    // CR line ends (rare): normalised, so the chunk can no longer be forwarded as it came.
    const crlf = buffer.includes("\r");
    if (crlf) buffer = buffer.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const end = buffer.indexOf("\n\n", start);
      if (end < 0) break;
      events.push(parseBlock(buffer.slice(start, end + 2)));
      start = end + 2;
    }
    this.rest = start === 0 ? buffer : buffer.slice(start);
    return { events, aligned: startedClean && !crlf && this.rest === "" };
  }

  /** Text left over at the end of the stream (an unterminated event). */
  get leftover(): string {
    return this.rest;
  }
}

function parseBlock(raw: string): SseEvent {
  let data: string | null = null;
  let event: string | undefined;
  // The common case, one `data:` line: no split.
  if (raw.startsWith("data:") && raw.indexOf("\n") === raw.length - 2) {
    return { raw, event, data: raw.charCodeAt(5) === 32 ? raw.slice(6, -2) : raw.slice(5, -2) };
  }
  for (const line of raw.slice(0, -2).split("\n")) {
    const colon = line.indexOf(":");
    if (colon === 0) continue; // a comment
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") data = data === null ? value : `${data}\n${value}`;
    else if (field === "event") event = value;
  }
  return { raw, event, data };
}
