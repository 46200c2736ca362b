import { ApiError } from "@/lib/http/errors";
import type { ForwardCall } from "../pipeline/protocol";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "../upstream-client";
import { mapUpstreamStatus } from "../upstream-error";

export const clientClosed = () =>
  new ApiError(499, "client_closed", "The client closed the request.");

/**
 * Sends a provider's request and keeps only a 2xx answer; everything else becomes the error
 * table's, the same for every provider: a client gone 499, unreachable 502, too slow 504,
 * the upstream's own refusal mapped by mapUpstreamStatus (from at most 64 KiB of its body).
 */
export async function sendUpstream(
  call: ForwardCall,
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
    throw mapUpstreamStatus(response.status, text);
  }
  return response;
}
