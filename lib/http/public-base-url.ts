import { env } from "@/lib/env";
import { forwardedEntry } from "./forwarded";

/**
 * The URL applications reach this server at, for commands shown to users: PUBLIC_URL when
 * configured (the server may sit behind a proxy that rewrites the host), else the origin
 * the request came in on. X-Forwarded-Host/-Proto are believed only from trusted proxies
 * (TRUST_PROXY); a Host that is not a plain host[:port] is not echoed into a snippet.
 */
const HOST_SHAPE = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function publicBaseUrl(publicUrl: string | undefined, headers: Headers): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  return requestOrigin(headers) ?? "http://localhost:3000";
}

/** The origin the request was addressed to, as far as we can believe it; null if unusable. */
export function requestOrigin(headers: Headers, fallbackProto = "http"): string | null {
  const hops = env().TRUST_PROXY;
  const host = forwardedEntry(headers, "x-forwarded-host", hops) ?? headers.get("host");
  if (!host || !HOST_SHAPE.test(host)) return null;
  const forwardedProto = forwardedEntry(headers, "x-forwarded-proto", hops)?.toLowerCase();
  const proto =
    forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : fallbackProto;
  return `${proto}://${host}`;
}
