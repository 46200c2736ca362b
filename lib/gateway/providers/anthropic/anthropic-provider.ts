import type { UpstreamResponse } from "../../relay/upstream-client";
import type { ProviderCall } from "../provider";
import { sendUpstream } from "../send-upstream";
import { anthropicHeaders, anthropicUrl } from "./headers";
import { shareHolderOf } from "../../relay/connection-share";

/**
 * Anthropic's Messages API at `<base_url>/v1<path>`, with the deployment's credential
 * (headers.ts). Returns the upstream's 2xx answer; everything else becomes the error
 * table's, as for every provider (send-upstream.ts).
 */
export async function callAnthropic(
  call: ProviderCall,
  path: string,
  body: Record<string, unknown>,
  options: { stream: boolean; query?: string },
): Promise<UpstreamResponse> {
  const { deps, request, ctx, deployment } = call;
  return sendUpstream(call, () =>
    deps.upstream.send({
      url: anthropicUrl(deployment, path, options.query ?? ""),
      headers: anthropicHeaders(request.headers, deployment, {
        requestId: ctx.requestId,
        stream: options.stream,
        trace: ctx.trace,
      }),
      body: JSON.stringify(body),
      signal: call.signal,
      holder: shareHolderOf(ctx.key),
      connectTimeoutMs: deployment.connectTimeoutMs,
      firstByteTimeoutMs: deployment.firstByteTimeoutMs,
      idleTimeoutMs: deployment.idleTimeoutMs,
    }),
  );
}
