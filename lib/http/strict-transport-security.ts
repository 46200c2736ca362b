import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { forwardedEntry } from "./forwarded";

/**
 * HSTS is only meaningful (and only honoured by browsers) on an HTTPS response; on plain
 * HTTP it would be ignored at best, and a self-hosted box is often reached over plain HTTP
 * on a private network. Behind a TLS-terminating proxy the request arrives as HTTP, so the
 * proxy's X-Forwarded-Proto is believed only with TRUST_PROXY, and only the entry our own
 * outermost proxy wrote (a client could send the header too).
 */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

export function servedOverHttps(req: IncomingMessage, trustedProxyHops: number): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  return (
    forwardedEntry(req.headers, "x-forwarded-proto", trustedProxyHops)?.toLowerCase() === "https"
  );
}
