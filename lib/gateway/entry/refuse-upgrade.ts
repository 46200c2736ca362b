import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { ApiError } from "@/lib/errors/api-error";

/**
 * A WebSocket upgrade (the Responses API's WebSocket mode, which GitHub Copilot CLI tries
 * first) is not served: answered with a plain HTTP 426 in OpenAI's envelope rather than a
 * socket closed without a status line, so the client reads why and falls back to HTTP
 * streaming. Node's server destroys upgrade sockets nobody handles; this handles them.
 */
export function refuseUpgrade(req: IncomingMessage, socket: Duplex): void {
  const path = (req.url ?? "/").split("?")[0];
  const body = new ApiError(
    426,
    "invalid_request",
    `WebSocket connections are not served (${path.slice(0, 200)}): use HTTP, e.g. POST /v1/responses with "stream": true.`,
    null,
    "invalid_request_error",
  ).toJson();
  socket.on("error", () => socket.destroy());
  socket.end(
    [
      "HTTP/1.1 426 Upgrade Required",
      "content-type: application/json",
      `content-length: ${Buffer.byteLength(body)}`,
      "connection: close",
      "",
      body,
    ].join("\r\n"),
  );
}
