/**
 * gen_ai.response.finish_reasons, read from the answer as the client receives it, whatever
 * the provider behind it: every protocol says why it stopped in a field of its own, so a
 * scan for that field finds it without parsing each chunk (tracing must stay cheap on a
 * stream). Values are the protocol's own, as the conventions ask:
 * - Chat Completions (and legacy completions): each choice's `finish_reason` (`stop`, `length`, `tool_calls`…);
 * - Messages: `stop_reason` (`end_turn`, `max_tokens`, `tool_use`…);
 * - Responses: `incomplete_details.reason` when the response is incomplete
 *   (`max_output_tokens`, `content_filter`), otherwise its `status` (`completed`, `failed`).
 */
const CHAT = /"finish_reason"\s*:\s*"([^"\\]{1,64})"/g;
const MESSAGES = /"stop_reason"\s*:\s*"([^"\\]{1,64})"/g;
const RESPONSES_EVENT = /"type"\s*:\s*"response\.(completed|incomplete|failed|cancelled)"/g;
const RESPONSES_STATUS = /"object"\s*:\s*"response"\s*,[^]*?"status"\s*:\s*"(\w{1,32})"/;
const INCOMPLETE = /"incomplete_details"\s*:\s*\{\s*"reason"\s*:\s*"([^"\\]{1,64})"/;

/** A stream's lines are scanned whole; a line longer than this is skipped rather than held. */
const MAX_LINE = 1 << 20;

export class FinishReasonScanner {
  private readonly chat: string[] = [];
  private pending = "";
  private status: string | null = null;
  private incomplete: string | null = null;

  constructor(private readonly endpoint: string) {}

  /** Whether this endpoint answers with a finish reason at all (others are not scanned). */
  get applies(): boolean {
    return ["chat.completions", "completions", "messages", "responses"].includes(this.endpoint);
  }

  /** A whole answer (not streamed). */
  noteBody(body: string): void {
    if (this.endpoint === "responses") {
      this.status = RESPONSES_STATUS.exec(body)?.[1] ?? null;
      this.incomplete = INCOMPLETE.exec(body)?.[1] ?? null;
    } else this.scan(body);
  }

  /** One chunk of a stream: only complete lines are scanned, so a field cut in two is not lost. */
  noteChunk(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.pending = text.length > MAX_LINE ? "" : text;
      return;
    }
    this.pending = text.length - end - 1 > MAX_LINE ? "" : text.slice(end + 1);
    this.scanStream(text.slice(0, end));
  }

  reasons(): string[] {
    if (this.pending) {
      this.scanStream(this.pending);
      this.pending = "";
    }
    if (this.endpoint === "responses") {
      if (this.incomplete) return [this.incomplete];
      return this.status ? [this.status] : [];
    }
    return this.chat;
  }

  private scanStream(lines: string): void {
    if (this.endpoint !== "responses") return this.scan(lines);
    for (const match of lines.matchAll(RESPONSES_EVENT)) this.status = match[1];
    const incomplete = INCOMPLETE.exec(lines)?.[1];
    if (incomplete) this.incomplete = incomplete;
  }

  private scan(text: string): void {
    const pattern = this.endpoint === "messages" ? MESSAGES : CHAT;
    for (const match of text.matchAll(pattern)) this.chat.push(match[1]);
  }
}
