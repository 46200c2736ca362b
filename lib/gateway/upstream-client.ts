import { Pool } from "undici";
import { env } from "@/lib/env";
import {
  FORBIDDEN_ADDRESS_CODE,
  guardedConnector,
  type GuardOptions,
} from "@/lib/net/guarded-connector";
import { gatewayErrors } from "./gateway-error";
import type { ApiError } from "@/lib/http/errors";
import { isNodeReadable, readNodeStream } from "./read-stream";
import type { ClientSignal } from "./client-signal";
import { UpstreamCall } from "./upstream-call";

/**
 * HTTP to model servers: one undici Pool per upstream origin (keep-alive connections
 * reused across requests), with the model's connect timeout on the pool and its first-byte
 * (headers) and idle (between body chunks) timeouts on each request. New connections to
 * link-local or metadata addresses are refused, whatever name led there. Requests go through
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

export interface UpstreamClientOptions {
  connectionsPerOrigin?: number;
  /** Lets connections reach link-local / metadata addresses; ALLOW_LINK_LOCAL_UPSTREAMS by default. */
  allowLinkLocal?: boolean;
  /** The resolver used at connect time (tests play DNS answers with it). */
  resolve?: GuardOptions["resolve"];
}

export function undiciUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const allowLinkLocal = options.allowLinkLocal ?? env().ALLOW_LINK_LOCAL_UPSTREAMS;
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string, connectTimeoutMs: number) => {
    const id = `${origin}|${connectTimeoutMs}`;
    let pool = pools.get(id);
    if (!pool) {
      pool = new Pool(origin, {
        connections: options.connectionsPerOrigin ?? 256,
        // The address connected to is checked on every new connection (lib/net/guarded-connector.ts).
        connect: allowLinkLocal
          ? { timeout: connectTimeoutMs }
          : guardedConnector({ timeout: connectTimeoutMs, resolve: options.resolve }),
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
      return {
        status: head.status,
        contentType: head.contentType,
        body: call,
        discard: () => call.abort(),
      };
    },
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close().catch(() => undefined)));
      pools.clear();
    },
  };
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** A transport failure as the table's error: too slow → 504, anything else → 502. */
export function upstreamFailure(error: unknown): ApiError {
  const code = (error as { code?: string } | null)?.code;
  if (code && TIMEOUT_CODES.has(code)) return gatewayErrors.upstreamTimeout();
  // Says why without the address: the caller may not be the admin who set the base URL.
  if (code === FORBIDDEN_ADDRESS_CODE)
    return gatewayErrors.upstreamError(
      "The model server's address is refused by this gateway (a link-local or cloud metadata address).",
    );
  return gatewayErrors.upstreamError();
}

export function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | null;
  return e?.name === "AbortError" || e?.code === "UND_ERR_ABORTED" || e?.code === "ABORT_ERR";
}

const tooLarge = () =>
  Object.assign(new Error("upstream response too large"), { code: "MB_UPSTREAM_TOO_LARGE" });

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
