import { Pool } from "undici";
import { gatewayErrors } from "./gateway-error";
import type { ApiError } from "@/lib/http/errors";
import { isNodeReadable, readNodeStream } from "./read-stream";
import type { ClientSignal } from "./client-signal";
import { UpstreamCall } from "./upstream-call";

/**
 * HTTP to model servers: one undici Pool per upstream origin (keep-alive connections
 * reused across requests), with the model's connect timeout on the pool and its first-byte
 * (headers) and idle (between body chunks) timeouts on each request. Requests go through
 * `dispatch` with our own handler (upstream-call.ts says why). undici never follows
 * redirects there, which is what we want: a redirect is an upstream error.
 */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: ClientSignal;
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

  // A model's URL is parsed once, not on every request.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (href: string) => {
    let target = targets.get(href);
    if (!target) {
      const url = new URL(href);
      target = { origin: url.origin, path: url.pathname + url.search };
      if (targets.size >= 1000) targets.clear();
      targets.set(href, target);
    }
    return target;
  };

  return {
    async send(request) {
      const target = targetOf(request.url);
      const call = new UpstreamCall(request.signal);
      poolFor(target.origin, request.connectTimeoutMs).dispatch(
        {
          method: "POST",
          path: target.path,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.firstByteTimeoutMs,
          bodyTimeout: request.idleTimeoutMs,
        },
        call,
      );
      const head = await call.head;
      return { status: head.status, contentType: head.contentType, body: call, discard: () => call.abort() };
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
  if (body instanceof UpstreamCall) return body.collect(limit, tooLarge);
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
