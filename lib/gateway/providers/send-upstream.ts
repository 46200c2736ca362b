import { ApiError } from "@/lib/errors/api-error";
import type { ProviderCall } from "./provider";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "../relay/upstream-client";
import { mapUpstreamStatus } from "./upstream-error";
import { withFailure } from "../relay/attempt-failure";
import { holdOpening } from "../relay/hold-opening";

/** What the upstream may echo about itself: its credential, its base URL and that URL's host. */
function upstreamSecrets(deployment: ProviderCall["deployment"]): string[] {
  const secrets = [deployment.baseUrl];
  if (deployment.apiKey) secrets.push(deployment.apiKey);
  try {
    secrets.push(new URL(deployment.baseUrl).host);
  } catch {
    // A base URL that does not parse was refused when saved.
  }
  return secrets;
}

export const clientClosed = () =>
  new ApiError(499, "client_closed", "The client closed the request.");

/**
 * Sends a provider's request and keeps only a 2xx answer; everything else becomes the error
 * table's, the same for every provider: a client gone 499, unreachable 502, too slow 504,
 * the upstream's own refusal mapped by mapUpstreamStatus (from at most 64 KiB of its body).
 */
export async function sendUpstream(
  call: ProviderCall,
  send: () => Promise<UpstreamResponse>,
): Promise<UpstreamResponse> {
  call.ctx.upstreamStartedAt = call.deps.clock();
  let response: UpstreamResponse;
  try {
    response = await send();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (call.request.signal.aborted || isAbort(error)) throw clientClosed();
    throw upstreamFailure(error);
  }
  if (response.status < 200 || response.status >= 300) {
    let text = "";
    try {
      text = (await readAll(response.body, 64 * 1024)).toString("utf8");
    } catch {
      response.discard();
    }
    throw withFailure(mapUpstreamStatus(response.status, text, upstreamSecrets(call.deployment)), {
      kind: "status",
      status: response.status,
      retryAfterMs: response.retryAfterMs ?? null,
      body: text,
    });
  }
  // An error event mid-stream is cleaned of these by the relay (upstream-error-event.ts).
  response.secrets = upstreamSecrets(call.deployment);
  // Content-free opening events wait for content, so that a failure behind them still fails over.
  return holdOpening(
    response,
    call.model.firstByteTimeoutMs,
    call.ctx.upstreamStartedAt ?? call.deps.clock(),
  );
}
