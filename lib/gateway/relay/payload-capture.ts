import type { GatewayResponse } from "../types";

/**
 * One request's captured payload (PRODUCT.md, "Seeing every request"): the headers without
 * any credential, and each body up to a byte cap, marked when cut. Filled while the request
 * runs (the body as read, the answer as it streams) and handed to the payload sink once the
 * answer has ended: nothing here waits on the database.
 */
export interface CapturedPayload {
  requestId: string;
  keyId: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  requestTruncated: boolean;
  responseBody: string | null;
  responseTruncated: boolean;
  at: Date;
}

/**
 * Headers never captured: every credential a client may send (OpenAI's Bearer, Anthropic's
 * x-api-key, Google's x-goog-api-key, cookies, proxies'), and anything whose name says it
 * holds a key, token, secret or password. Our own internal address header is left out too.
 */
const SECRET_HEADER =
  /(authorization|cookie|api-key|apikey|token|secret|password|session|signature|^x-modelbridge-)/i;

export function safeHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !SECRET_HEADER.test(name)) out[name] = value.slice(0, 2048);
  return out;
}

export class PayloadCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;
  requestBody: string | null = null;
  requestTruncated = false;

  constructor(
    readonly requestId: string,
    readonly keyId: string,
    readonly headers: Record<string, string>,
    private readonly maxBytes: number,
  ) {}

  noteRequest(body: Uint8Array): void {
    this.requestTruncated = body.byteLength > this.maxBytes;
    this.requestBody = decode(body.subarray(0, this.maxBytes));
  }

  noteResponse(chunk: string | Uint8Array): void {
    if (this.truncated) return;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    const room = this.maxBytes - this.size;
    if (bytes.byteLength > room) {
      this.truncated = true;
      this.chunks.push(bytes.subarray(0, room));
      this.size += room;
      return;
    }
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
  }

  done(at: Date): CapturedPayload {
    return {
      requestId: this.requestId,
      keyId: this.keyId,
      requestHeaders: this.headers,
      requestBody: this.requestBody,
      requestTruncated: this.requestTruncated,
      responseBody: this.size > 0 ? decode(Buffer.concat(this.chunks, this.size)) : null,
      responseTruncated: this.truncated,
      at,
    };
  }
}

/** A cut may split a UTF-8 character: the decoder's replacement char marks it, never an error. */
const decode = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/**
 * The answer with its body copied into the capture as it is sent; `finished` gets the
 * payload once the body has ended (or the client left). A stream keeps its own pace: each
 * chunk is copied (up to the cap) and passed on at once.
 */
export function capturingResponse(
  response: GatewayResponse,
  capture: PayloadCapture,
  finished: (payload: CapturedPayload) => void,
  now: () => Date,
): GatewayResponse {
  const body = response.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    capture.noteResponse(body);
    finished(capture.done(now()));
    return response;
  }
  return { ...response, body: relay(body, capture, finished, now) };
}

async function* relay(
  body: AsyncIterable<string | Uint8Array>,
  capture: PayloadCapture,
  finished: (payload: CapturedPayload) => void,
  now: () => Date,
): AsyncGenerator<string | Uint8Array> {
  try {
    for await (const chunk of body) {
      capture.noteResponse(chunk);
      yield chunk;
    }
  } finally {
    finished(capture.done(now()));
  }
}
