import type { ApiError } from "@/lib/errors/api-error";
import type { ClientSignal } from "../client-signal";
import { SseSplitter, type SseEvent } from "./sse-split";
import { isAbort, upstreamFailure, type UpstreamResponse } from "./upstream-client";

/** What every relayed stream ends with: the status recorded and the error, if any. */
export interface RelayState {
  status: number;
  error: ApiError | null;
}

/**
 * The per-protocol accounting of a relayed stream (chat-stream-meter.ts,
 * anthropic-stream-meter.ts): pure, it sees one whole event at a time and says what to send
 * in its place. The loop below owns the I/O.
 */
export interface StreamMeter<Outcome extends RelayState> {
  readonly state: RelayState;
  /** What the upstream may echo about itself, removed from its error events (set by the loop). */
  secrets: readonly string[];
  /** What to send in place of this event: undefined forwards it as it came; "" drops it. */
  push(event: SseEvent): string | undefined;
  /** Nothing more is forwarded (cut at the budget, or a malformed event). */
  readonly stopped: boolean;
  /** The upstream's body ended: what to send last (an error event, a missing [DONE]). */
  end(): string;
  /** The upstream failed mid-stream: the error event to send. */
  fail(error: ApiError): string;
  /** The outcome, read once the stream is over. */
  outcome(): Outcome;
}

/**
 * Relays an upstream SSE stream as it arrives. A network chunk whose events all go out
 * unchanged is forwarded as its own bytes: no decode, re-encode or re-serialisation on the
 * common path; only a chunk the meter changes (usage hidden, cut, error) is rebuilt, from
 * the events' raw text. `onEnd` is called exactly once, also when the client goes away
 * (the adapter then calls return(), which lands in the finally block).
 */
export async function* relayEvents<Outcome extends RelayState>(
  upstream: UpstreamResponse,
  meter: StreamMeter<Outcome>,
  signal: ClientSignal,
  onEnd: (outcome: Outcome) => void,
): AsyncGenerator<string | Uint8Array> {
  const splitter = new SseSplitter();
  if (upstream.secrets) meter.secrets = upstream.secrets;
  let ended = false;
  try {
    for await (const bytes of upstream.body) {
      const { events, aligned } = splitter.push(bytes);
      let out = "";
      let untouched = aligned;
      for (const event of events) {
        const replacement = meter.push(event);
        if (replacement === undefined) out += event.raw;
        else {
          out += replacement;
          untouched = false;
        }
        if (meter.stopped) {
          untouched = false;
          break;
        }
      }
      if (untouched && events.length > 0) yield bytes;
      else if (out) yield out;
      if (meter.stopped) break;
    }
    const tail = meter.end();
    if (tail) yield tail;
    ended = true;
  } catch (error) {
    if (signal.aborted || isAbort(error)) {
      meter.state.status = 499;
    } else {
      const failure = upstreamFailure(error);
      meter.state.error = failure;
      meter.state.status = failure.status;
      ended = true;
      // The client may already be gone; the finally block still settles.
      yield meter.fail(failure);
    }
  } finally {
    if (!ended && meter.state.status === 200) meter.state.status = 499;
    upstream.discard();
    onEnd(meter.outcome());
  }
}
