import type { ApiError } from "@/lib/errors/api-error";
import { gatewayErrors } from "../gateway-error";
import type { RelayState, StreamMeter } from "./relay-loop";
import type { SseEvent } from "./sse-split";
import { noteMalformedEvent } from "./stream-counters";

/** Unread deltas kept for a possible estimate, in characters, before they are read and folded into text. */
const UNREAD_LIMIT = 1 << 20;

/**
 * What the chat and Anthropic meters share: how a stream ends (garbage, the upstream's own
 * error event, an early end), the output text gathered for an estimate, and the deltas
 * forwarded unread whose text is read only if an estimate turns out to be needed.
 */
export abstract class StreamMeterBase<Outcome extends RelayState> implements StreamMeter<Outcome> {
  readonly state: RelayState = { status: 200, error: null };
  secrets: readonly string[] = [];
  stopped = false;
  protected readonly text: string[] = [];
  protected produced = false;
  protected cut = false;
  protected hitLength = false;
  protected upstreamErrorEvent = false;
  private unread: string[] = [];
  private unreadChars = 0;

  abstract push(event: SseEvent): string | undefined;
  abstract outcome(): Outcome;
  /** The protocol's error event. */
  protected abstract errorEvent(error: ApiError): string;
  /** The protocol's end was seen: what to send after it (""), or null when the stream ended early. */
  protected abstract endedWhole(): string | null;
  /** The output text of one delta forwarded unread. */
  protected abstract textOf(data: string): string;

  end(): string {
    if (this.upstreamErrorEvent) {
      // The upstream's own error event went out (cleaned: upstream-error-event.ts).
      this.state.status = 502;
      this.state.error = gatewayErrors.upstreamError(
        "The model server reported an error mid-stream.",
      );
      return "";
    }
    if (this.cut) return "";
    return (
      this.endedWhole() ??
      this.failWith(gatewayErrors.upstreamError("The model server ended the stream early."))
    );
  }

  fail(error: ApiError): string {
    return this.errorEvent(error);
  }

  private failWith(error: ApiError): string {
    this.state.status = 502;
    this.state.error = error;
    return this.errorEvent(error);
  }

  /**
   * A malformed event in the middle of a stream: skipped (not forwarded) and counted
   * (`modelbridge_stream_malformed_events_total`); the stream goes on (PRODUCT.md "Streams").
   */
  protected malformed(): string {
    noteMalformedEvent();
    return "";
  }

  protected addText(piece: string): void {
    if (!piece) return;
    this.text.push(piece);
    this.produced = true;
  }

  protected keepUnread(data: string): void {
    this.unread.push(data);
    this.unreadChars += data.length;
    if (this.unreadChars > UNREAD_LIMIT) this.readUnread();
  }

  /** Reads the unread deltas when an estimate needs their text; otherwise only notes that output came. */
  protected settleUnread(estimateNeeded: boolean): void {
    if (estimateNeeded) this.readUnread();
    else if (this.unread.length > 0) this.produced = true;
  }

  private readUnread(): void {
    for (const data of this.unread) {
      try {
        this.addText(this.textOf(data));
      } catch {
        // Checked for its shape only, and not JSON after all: no text.
      }
    }
    this.unread = [];
    this.unreadChars = 0;
  }
}
