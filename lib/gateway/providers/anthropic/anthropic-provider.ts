import type { ForwardCall } from "../../pipeline/protocol";
import type { UpstreamResponse } from "../../upstream-client";
import { sendUpstream } from "../send-upstream";
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
  return sendUpstream(call, () =>
    deps.upstream.send({
      url: anthropicUrl(model, path, options.query ?? ""),
      headers: anthropicHeaders(request.headers, model, {
        requestId: ctx.requestId,
        stream: options.stream,
      }),
      body: JSON.stringify(body),
      signal: call.signal,
      connectTimeoutMs: model.connectTimeoutMs,
      firstByteTimeoutMs: model.firstByteTimeoutMs,
      idleTimeoutMs: model.idleTimeoutMs,
    }),
  );
}
