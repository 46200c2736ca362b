import type { GatewayResponse } from "../types";

/** What every streamed answer is sent with: SSE, never cached, never buffered by a proxy (nginx). */
export function sseResponse(
  headers: Record<string, string>,
  body: GatewayResponse["body"],
): GatewayResponse {
  return {
    status: 200,
    headers: {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
    body,
  };
}
