import type { Gateway } from "./gateway";
import type { GatewayResponse } from "../types";

/**
 * Web Request/Response ⇄ gateway, for the App Router route handlers (`next dev`, and
 * `next start` without server.ts). Same core as the node adapter; a stream body becomes a
 * ReadableStream pulled chunk by chunk, and cancelling it closes the gateway's iterator.
 */
export type WebHandler = (request: Request) => Promise<Response>;

const encoder = new TextEncoder();

export function webHandler(gateway: Gateway): WebHandler {
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const response = await gateway({
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers,
      body: request.body ? readableToIterable(request.body) : null,
      signal: request.signal,
    });
    return toWebResponse(response);
  };
}

/** A gateway response as a Web Response; also used by in-process callers (the Playground route). */
export function toWebResponse(response: GatewayResponse): Response {
  const { body } = response;
  if (typeof body === "string" || body instanceof Uint8Array) {
    return new Response(body as BodyInit, { status: response.status, headers: response.headers });
  }
  const iterator = body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else
        controller.enqueue(
          typeof next.value === "string" ? encoder.encode(next.value) : next.value,
        );
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
  return new Response(stream, { status: response.status, headers: response.headers });
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
