import { writeError } from "@/lib/errors/write-error";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestTooLarge } from "@/lib/errors/api-error";

/**
 * Refuses a request body over `limit` bytes with 413 before it is read, for handlers that
 * would otherwise read it whole (Next, next-auth). Memory stays bounded by the cap:
 *
 * - A declared Content-Length over the cap: 413 at once, nothing kept. (With
 *   `Expect: 100-continue`, server.ts never says "continue", so the client never sends it.)
 *   A declared length within the cap is safe as it is: node's parser never delivers more.
 * - A chunked body (no length known): held back from the handler while it arrives, counted,
 *   and 413 as soon as it passes the cap; a body within the cap is then handed to the
 *   handler as if it had just arrived.
 *
 * The chunked case works on `req.push`, the method node's HTTP parser calls with each body
 * chunk (and `null` at the end): replacing it on this one request lets us see the chunks
 * before anyone else can, without copying the request object Next expects.
 */
export type BodyCapResult = boolean | Promise<boolean>;

export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && Number(declared) > limit;
}

/** true: go on; false: a 413 was sent. A promise when a chunked body must arrive first. */
export function enforceBodyCap(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): BodyCapResult {
  if (req.headers["content-length"] !== undefined) {
    if (!declaredTooLarge(req, limit)) return true;
    refuse(req, res, limit);
    return false;
  }
  // No length and not chunked: no body (RFC 9112 §6.3).
  if (!/\bchunked\b/i.test(req.headers["transfer-encoding"] ?? "")) return true;
  return holdChunkedBody(req, res, limit);
}

function holdChunkedBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<boolean> {
  const push = req.push;
  const held: Buffer[] = [];
  let size = 0;
  return new Promise<boolean>((resolve) => {
    const give = (verdict: boolean) => {
      req.off("close", onClose);
      resolve(verdict);
    };
    const onClose = () => {
      req.push = push;
      give(false);
    };
    req.on("close", onClose);
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk === null) {
        req.push = push;
        for (const part of held) push.call(req, part);
        held.length = 0;
        push.call(req, null);
        give(true);
        return false;
      }
      const part = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
      size += part.byteLength;
      if (size <= limit) {
        held.push(part);
        return true;
      }
      // Over the cap: answer now and drop whatever else arrives until the connection closes.
      held.length = 0;
      req.push = (rest: unknown) => (rest === null ? push.call(req, null) : true);
      refuse(req, res, limit);
      give(false);
      return true;
    };
  });
}

/**
 * After the 413, whatever the client still sends is read and dropped for a moment before the
 * connection is cut ("lingering close", as nginx does): closing a socket with unread data in
 * it sends a reset, and a client still uploading may then lose the answer it was sent.
 */
const LINGER_MS = 5_000;

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (res.headersSent) return;
  // The OpenAI error envelope, as /api/v1 and /v1 answer everything.
  res.once("finish", () => {
    // node discards the rest of the refused body (nothing is held: see holdChunkedBody);
    // a client that is still sending after the linger is cut off.
    setTimeout(() => {
      if (!req.complete) req.socket.destroy();
    }, LINGER_MS).unref();
  });
  writeError(res, requestTooLarge(limit), { envelope: "openai", contentLength: true });
}
