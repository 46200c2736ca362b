import { Pool } from "undici";
import { env } from "@/lib/env";
import {
  FORBIDDEN_ADDRESS_CODE,
  guardedConnector,
  type GuardOptions,
} from "@/lib/net/guarded-connector";
import { gatewayErrors } from "../gateway-error";
import type { ApiError } from "@/lib/errors/api-error";
import { isNodeReadable, readNodeStream } from "./read-stream";
import type { ClientSignal } from "../client-signal";
import { UpstreamCall } from "./upstream-call";
import { transportFailure, withFailure } from "./attempt-failure";
import { ConnectionShare, ConnectionShareTimeout, type ShareHolder } from "./connection-share";

/**
 * HTTP to model servers: one undici Pool per upstream origin (keep-alive connections
 * reused across requests), with the model's connect timeout on the pool and its first-byte
 * (headers) and idle (between body chunks) timeouts on each request. New connections to
 * link-local or metadata addresses are refused, whatever name led there. Requests go through
 * `dispatch` with our own handler (upstream-call.ts says why). undici never follows
 * redirects there, which is what we want: a redirect is an upstream error.
 *
 * Before a request reaches its pool it takes a connection from that pool's fair share
 * (connection-share.ts): one key or owner holds at most a share of the pool, and a request
 * that waits past its connect timeout fails over (or gets 503 `upstream_busy`).
 */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: ClientSignal;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** Whose share of the pool the request counts against; absent: the pool's only (connection tests). */
  holder?: ShareHolder | null;
}

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body will not be read to the end. */
  discard(): void;
  /** On an error status: the wait the upstream asked for (Retry-After, retry-after-ms). */
  retryAfterMs?: number | null;
  /** What the upstream may echo about itself (its credential, base URL, host): kept out of its error events. */
  secrets?: readonly string[];
}

export interface UpstreamClient {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
  /** Each pool's connections in flight and requests waiting for one (connection-share.ts). */
  connections?(): Array<{ pool: string; inFlight: number; waiting: number }>;
}

export interface UpstreamClientOptions {
  /** UPSTREAM_CONNECTIONS_PER_ORIGIN by default. */
  connectionsPerOrigin?: number;
  /** The share of a pool one key or owner may hold (0–1]; UPSTREAM_CONNECTION_SHARE by default. */
  connectionShare?: number;
  /** Lets connections reach link-local / metadata addresses; ALLOW_LINK_LOCAL_UPSTREAMS by default. */
  allowLinkLocal?: boolean;
  /** The resolver used at connect time (tests play DNS answers with it). */
  resolve?: GuardOptions["resolve"];
}

export function undiciUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const allowLinkLocal = options.allowLinkLocal ?? env().ALLOW_LINK_LOCAL_UPSTREAMS;
  const connections = options.connectionsPerOrigin ?? env().UPSTREAM_CONNECTIONS_PER_ORIGIN;
  const share = options.connectionShare ?? env().UPSTREAM_CONNECTION_SHARE / 100;
  const pools = new Map<string, { pool: Pool; share: ConnectionShare }>();
  const poolFor = (origin: string, connectTimeoutMs: number) => {
    const id = `${origin}|${connectTimeoutMs}`;
    let entry = pools.get(id);
    if (!entry) {
      const pool = new Pool(origin, {
        connections,
        // The address connected to is checked on every new connection (lib/net/guarded-connector.ts).
        connect: allowLinkLocal
          ? { timeout: connectTimeoutMs }
          : guardedConnector({ timeout: connectTimeoutMs, resolve: options.resolve }),
        keepAliveTimeout: 30_000,
      });
      entry = { pool, share: new ConnectionShare(connections, share) };
      pools.set(id, entry);
    }
    return entry;
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
      const { pool, share } = poolFor(target.origin, request.connectTimeoutMs);
      // The queue for a connection is bounded by the connect timeout, like the connect itself.
      const taking = share.acquire(
        request.holder ?? null,
        request.connectTimeoutMs,
        request.signal,
      );
      let release: () => void;
      try {
        release = typeof taking === "function" ? taking : await taking;
      } catch (error) {
        if (error instanceof ConnectionShareTimeout) throw shareTimeoutError(error);
        throw error;
      }
      const call = new UpstreamCall(request.signal, release);
      try {
        pool.dispatch(
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
      } catch (error) {
        release();
        throw error;
      }
      const head = await call.head;
      return {
        status: head.status,
        contentType: head.contentType,
        retryAfterMs: head.retryAfterMs,
        body: call,
        discard: () => call.abort(),
      };
    },
    connections() {
      return [...pools].map(([pool, entry]) => ({
        pool,
        inFlight: entry.share.held(),
        waiting: entry.share.queued(),
      }));
    },
    async close() {
      await Promise.all([...pools.values()].map(({ pool }) => pool.close().catch(() => undefined)));
      pools.clear();
    },
  };
}

/**
 * No connection came free within the connect timeout: 503 `upstream_busy`, which the attempt
 * loop answers by trying another deployment (its breaker is not told: nothing is wrong there).
 */
function shareTimeoutError(timeout: ConnectionShareTimeout): ApiError {
  const waited = `${(timeout.waitedMs / 1000).toFixed(1)} s`;
  const message =
    timeout.reason === "share"
      ? `This API key (or its owner) already holds its share of the model server's connections (${timeout.perHolder} of ${timeout.capacity}); no connection came free within ${waited}. Retry later.`
      : `Every connection to the model server is in use; none came free within ${waited}. Retry later.`;
  return withFailure(Object.assign(gatewayErrors.upstreamBusy(message), { retryAfterSeconds: 1 }), {
    kind: "connection-share",
  });
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** A transport failure as the table's error: too slow → 504, anything else → 502. */
export function upstreamFailure(error: unknown): ApiError {
  return withFailure(tableError(error), transportFailure(error));
}

function tableError(error: unknown): ApiError {
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
