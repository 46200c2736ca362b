import { gatewayErrors } from "../gateway-error";
import { isNodeReadable, readNodeStream } from "../relay/read-stream";
import type { GatewayRequest } from "../types";

/**
 * Reads the request body up to `limit` bytes. A declared Content-Length over the cap is
 * refused before reading anything; a body that grows past it is refused as soon as it does,
 * without buffering the rest.
 */
export async function readBody(request: GatewayRequest, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw gatewayErrors.requestTooLarge(limit);
  const body = request.body;
  if (body === null) return new Uint8Array(0);
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw gatewayErrors.requestTooLarge(limit);
    return body;
  }
  if (isNodeReadable(body))
    return readNodeStream(body, limit, () => gatewayErrors.requestTooLarge(limit));
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw gatewayErrors.requestTooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}
