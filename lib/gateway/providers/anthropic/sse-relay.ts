import type { ClientSignal } from "../../client-signal";
import { AnthropicStreamMeter, type AnthropicStreamOutcome } from "./stream-meter";
import { relayEvents } from "../../relay/relay-loop";
import type { UpstreamResponse } from "../../relay/upstream-client";

export { anthropicErrorEvent, type AnthropicStreamOutcome } from "./stream-meter";

export interface AnthropicRelayOptions {
  /** Output deltas past which the stream is cut; null: never (see token-cap.ts). */
  cutAfterDeltas: number | null;
  signal: ClientSignal;
  onEnd: (outcome: AnthropicStreamOutcome) => void;
}

/**
 * Relays an Anthropic Messages stream as it arrives, every event untouched (passthrough
 * keeps every event and field), metered by anthropic-stream-meter.ts. `onEnd` is called
 * exactly once, also when the client goes away.
 */
export function relayAnthropicSse(
  upstream: UpstreamResponse,
  options: AnthropicRelayOptions,
): AsyncGenerator<string | Uint8Array> {
  return relayEvents(
    upstream,
    new AnthropicStreamMeter(options.cutAfterDeltas),
    options.signal,
    options.onEnd,
  );
}
