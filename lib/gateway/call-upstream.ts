import { ApiError } from "@/lib/http/errors";
import type { GatewayDeps } from "./deps";
import { gatewayErrors } from "./gateway-error";
import type { RequestContext } from "./request-context";
import type { GatewayRequest } from "./types";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "./upstream-client";
import { mapUpstreamStatus } from "./upstream-error";

/**
 * One call to the model's server for a translated or passed-through request: sent with the
 * model's timeouts and the client's abort signal; a failure to connect, a timeout or a
 * non-2xx answer becomes the error table's ApiError. Returns a 2xx response, unread.
 */
export async function callUpstream(
  deps: GatewayDeps,
  request: GatewayRequest,
  ctx: RequestContext,
  call: { url: string; headers: Record<string, string>; body: string },
): Promise<UpstreamResponse> {
  const model = ctx.model!;
  ctx.upstreamStartedAt = deps.clock();
  let response: UpstreamResponse;
  try {
    response = await deps.upstream.send({
      ...call,
      signal: request.signal,
      connectTimeoutMs: model.connectTimeoutMs,
      firstByteTimeoutMs: model.firstByteTimeoutMs,
      idleTimeoutMs: model.idleTimeoutMs,
    });
  } catch (error) {
    throw clientGoneOr(request, error);
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

/** A whole non-stream answer, parsed; a body that is not JSON is the upstream's fault (502). */
export async function readJsonAnswer<T>(deps: GatewayDeps, request: GatewayRequest, response: UpstreamResponse): Promise<{ raw: Buffer; json: T }> {
  let raw: Buffer;
  try {
    raw = await readAll(response.body, deps.config.maxUpstreamResponseBytes);
  } catch (error) {
    throw clientGoneOr(request, error);
  }
  try {
    const json = JSON.parse(raw.toString("utf8")) as T;
    if (json === null || typeof json !== "object") throw new SyntaxError("not an object");
    return { raw, json };
  } catch {
    throw gatewayErrors.upstreamError("The model server sent a response that is not JSON.");
  }
}

function clientGoneOr(request: GatewayRequest, error: unknown): ApiError {
  if (request.signal.aborted || isAbort(error)) return new ApiError(499, "client_closed", "The client closed the request.");
  return upstreamFailure(error);
}
