import type http from "node:http";
import type { Socket } from "node:net";

/**
 * One client cannot use up the server's sockets (issue 27 item 6: ~19,800 slow-header
 * connections from one address used every file descriptor; `/healthz` and `/v1` could not
 * connect). Two rules:
 * - slow headers are cut off: a request whose headers have not all arrived after
 *   `headersTimeoutMs` (Node's default is 60 s), or whose body has not after
 *   `requestTimeoutMs`, is answered 408 and its connection closed;
 * - one client address holds at most `perAddress` open connections; past that, new ones
 *   are closed at once. Counted on the socket's address, so behind a reverse proxy
 *   (TRUST_PROXY) it is off: every connection comes from the proxy, whose own limits apply.
 */
export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** 0: no per-address cap. */
  perAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  perAddress: 256,
};

/** Options for http.createServer: the timeouts, checked often enough to hold them. */
export function serverOptions(limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (default 30 s): fine enough for the limits.
    connectionsCheckingInterval: Math.min(
      30_000,
      Math.max(250, Math.floor(limits.headersTimeoutMs / 4)),
    ),
  } satisfies http.ServerOptions;
}

/** Closes connections past `perAddress` from one socket address; returns a counter for tests. */
export function capConnectionsPerAddress(
  server: http.Server,
  perAddress: number,
): { open(address: string): number } {
  const open = new Map<string, number>();
  if (perAddress > 0) {
    server.on("connection", (socket: Socket) => {
      const address = socket.remoteAddress ?? "unknown";
      const count = (open.get(address) ?? 0) + 1;
      if (count > perAddress) {
        socket.destroy();
        return;
      }
      open.set(address, count);
      socket.once("close", () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left <= 0) open.delete(address);
        else open.set(address, left);
      });
    });
  }
  return { open: (address) => open.get(address) ?? 0 };
}
