import { Pool } from "undici";
import { gatewayErrors } from "./gateway-error";
import type { ApiError } from "@/lib/http/errors";
import { isNodeReadable, readNodeStream } from "./read-stream";

/**
 * HTTP to model servers: one undici Pool per upstream origin (keep-alive connections
 * reused across requests), with the model's connect timeout on the pool and its first-byte
 * (headers) and idle (between body chunks) timeouts on each request. undici's `request`
 * never follows redirects, which is what we want: a redirect is an upstream error.
 */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body will not be read to the end. */
  discard(): void;
}

export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function undiciUpstreamClient(options: { connectionsPerOrigin?: number } = {}): UpstreamClient {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string, connectTimeoutMs: number) => {
    const id = `${origin}|${connectTimeoutMs}`;
    let pool = pools.get(id);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connectionsPerOrigin ?? 256,
        connect: { timeout: connectTimeoutMs },
        keepAliveTimeout: 30_000,
      });
      pools.set(id, pool);
    }
    return pool;
  };

  return {
    async send(request) {
      const url = new URL(request.url);
      const pool = poolFor(url.origin, request.connectTimeoutMs);
      const response = await pool.request({
        method: "POST",
        path: url.pathname + url.search,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        headersTimeout: request.firstByteTimeoutMs,
        bodyTimeout: request.idleTimeoutMs,
      });
      const contentType = response.headers["content-type"];
      return {
        status: response.statusCode,
        contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? "",
        body: response.body,
        discard: () => response.body.destroy(),
      };
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close().catch(() => undefined)));
      pools.clear();
    },
  };
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** A transport failure as the table's error: too slow → 504, anything else → 502. */
export function upstreamFailure(error: unknown): ApiError {
  const code = (error as { code?: string } | null)?.code;
  if (code && TIMEOUT_CODES.has(code)) return gatewayErrors.upstreamTimeout();
  return gatewayErrors.upstreamError();
}

export function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | null;
  return e?.name === "AbortError" || e?.code === "UND_ERR_ABORTED" || e?.code === "ABORT_ERR";
}

const tooLarge = () => Object.assign(new Error("upstream response too large"), { code: "MB_UPSTREAM_TOO_LARGE" });

/** Reads a whole (non-stream) body, refusing more than `limit` bytes. */
export async function readAll(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  if (isNodeReadable(body)) return readNodeStream(body, limit, tooLarge);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}
