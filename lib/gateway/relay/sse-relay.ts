import type { ClientSignal } from "../client-signal";
import { ChatStreamMeter, type StreamOutcome } from "./chat-stream-meter";
import { relayEvents } from "./relay-loop";
import type { UpstreamResponse } from "./upstream-client";

export type { StreamOutcome } from "./chat-stream-meter";

export interface RelayOptions {
  clientWantsUsage: boolean;
  /** Output deltas per choice past which the stream is cut; null: never (see token-cap.ts). */
  cutAfterDeltas: number | null;
  signal: ClientSignal;
  onEnd: (outcome: StreamOutcome) => void;
}

/**
 * Relays an upstream Chat Completions (or legacy completions) stream as it arrives, metered
 * by chat-stream-meter.ts (usage kept, cut at the budget, upstream failures as error
 * events). `onEnd` is called exactly once with what happened, also when the client goes away.
 */
export function relaySse(
  upstream: UpstreamResponse,
  options: RelayOptions,
): AsyncGenerator<string | Uint8Array> {
  const meter = new ChatStreamMeter({
    clientWantsUsage: options.clientWantsUsage,
    cutAfterDeltas: options.cutAfterDeltas,
  });
  return relayEvents(upstream, meter, options.signal, options.onEnd);
}
