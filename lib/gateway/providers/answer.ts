import { gatewayErrors } from "../gateway-error";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "../relay/upstream-client";
import type { ProviderCall } from "./provider";
import { clientClosed } from "./send-upstream";

/** A whole non-stream answer, refusing one past the configured size. */
export async function readAnswer(call: ProviderCall, response: UpstreamResponse): Promise<Buffer> {
  try {
    return await readAll(response.body, call.deps.config.maxUpstreamResponseBytes);
  } catch (error) {
    if (call.signal.aborted || isAbort(error)) throw clientClosed();
    throw upstreamFailure(error);
  }
}

/** A non-stream answer as JSON; anything else is the upstream's fault. */
export function parseAnswer(raw: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(raw.toString("utf8")) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
}

/**
 * A non-stream answer that arrived: 200, or 499 when its client left during the grace (it
 * is charged as usual, and recorded as the client's abort).
 */
export function answeredStatus(call: ProviderCall): { status: number; errorCode: string | null } {
  return call.request.signal.aborted
    ? { status: 499, errorCode: "client_closed" }
    : { status: 200, errorCode: null };
}
