import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * HSTS is only meaningful (and only honoured by browsers) on an HTTPS response; on plain
 * HTTP it would be ignored at best, and a self-hosted box is often reached over plain HTTP
 * on a private network. Behind a TLS-terminating proxy the request arrives as HTTP, so the
 * proxy's X-Forwarded-Proto is believed only with TRUST_PROXY (a client could send it too).
 */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

export function servedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const forwarded = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return first === "https";
}
