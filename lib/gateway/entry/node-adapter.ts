import { errorJson, writeError } from "@/lib/errors/write-error";
import type { IncomingMessage, ServerResponse } from "node:http";
import { loggableError } from "@/lib/errors/loggable-error";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { ClientGone, type ClientSignal } from "../client-signal";
import type { Gateway } from "./gateway";
import { gatewayErrors } from "../gateway-error";
import type { GatewayResponse } from "../types";

/**
 * node:http ⇄ gateway, for server.ts's hot path. Streams are written chunk by chunk with
 * backpressure; when the client goes away the request's signal aborts (which aborts the
 * upstream) and the body iterator is closed (which settles and records the request).
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function nodeHandler(gateway: Gateway): NodeHandler {
  return (req, res) => {
    const clientGone = new ClientGone();
    res.on("close", () => {
      if (!res.writableFinished) clientGone.abort();
    });
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    // node:http already joins repeated request headers into one string, but for
    // set-cookie (never sent by a client to an API): the object is used as it is, uncopied.
    const headers = req.headers as Record<string, string | undefined>;
    if (Array.isArray(req.headers["set-cookie"])) delete headers["set-cookie"];
    // The socket's address, overwriting any client-sent copy (lib/http/client-ip.ts).
    headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";

    gateway({
      method: req.method ?? "GET",
      path: query === -1 ? url : url.slice(0, query),
      query: query === -1 ? "" : url.slice(query),
      headers,
      body: req,
      signal: clientGone,
    })
      .then((response) => send(req, res, response, clientGone))
      .catch((error) => {
        console.error(
          JSON.stringify({
            level: "error",
            msg: "v1 adapter failure",
            error: loggableError(error),
          }),
        );
        if (!res.headersSent) writeError(res, gatewayErrors.internal(), { envelope: "openai" });
        else res.end(errorJson(gatewayErrors.internal(), { envelope: "openai" }));
      });
  };
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  response: GatewayResponse,
  signal: ClientSignal,
): Promise<void> {
  const { body } = response;
  // An error sent before the body was read: drain a small rest so the connection can be reused.
  if (!req.readableEnded && response.headers.connection !== "close") req.resume();
  if (typeof body === "string" || body instanceof Uint8Array) {
    res.writeHead(response.status, {
      ...response.headers,
      "content-length": String(Buffer.byteLength(body)),
    });
    res.end(body);
    return;
  }
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  const iterator = body[Symbol.asyncIterator]();
  let done = false;
  try {
    while (!signal.aborted) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      if (!res.write(next.value)) await drained(res, signal);
    }
  } finally {
    if (!done) await iterator.return?.(undefined);
    res.end();
  }
}

function drained(res: ServerResponse, signal: ClientSignal): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      res.off("drain", finish);
      signal.removeEventListener("abort", finish);
      resolve();
    };
    res.on("drain", finish);
    signal.addEventListener("abort", finish);
  });
}
