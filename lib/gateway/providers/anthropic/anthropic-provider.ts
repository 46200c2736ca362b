import { ApiError } from "@/lib/http/errors";
import type { ForwardCall } from "../../pipeline/protocol";
import { isAbort, readAll, upstreamFailure, type UpstreamResponse } from "../../upstream-client";
import { mapUpstreamStatus } from "../../upstream-error";
import { clientClosed } from "../openai-provider";
import { anthropicHeaders, anthropicUrl } from "./anthropic-upstream";

/**
 * The `anthropic` provider: Anthropic's Messages API at `<base_url>/v1<path>`, with the
 * model's credential (anthropic-upstream.ts). Returns the upstream's 2xx answer; everything
 * else becomes the error table's, as for the openai provider: a client gone 499,
 * unreachable 502, too slow 504, Anthropic's own refusal mapped by mapUpstreamStatus.
 */
export async function callAnthropic(
  call: ForwardCall,
  path: "/messages" | "/messages/count_tokens",
  body: Record<string, unknown>,
  options: { stream: boolean; query?: string },
): Promise<UpstreamResponse> {
  const { deps, request, ctx, model } = call;
  ctx.upstreamStartedAt = deps.clock();
  let response: UpstreamResponse;
  try {
    response = await deps.upstream.send({
      url: anthropicUrl(model, path, options.query ?? ""),
      headers: anthropicHeaders(request.headers, model, { requestId: ctx.requestId, stream: options.stream }),
      body: JSON.stringify(body),
      signal: call.signal,
      connectTimeoutMs: model.connectTimeoutMs,
      firstByteTimeoutMs: model.firstByteTimeoutMs,
      idleTimeoutMs: model.idleTimeoutMs,
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (request.signal.aborted || isAbort(error)) throw clientClosed();
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
