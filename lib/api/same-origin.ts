import { env } from "@/lib/env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated requests: a state-changing request must come from
 * a page of this server. Browsers always send Origin on cross-origin POST/PATCH/DELETE, so
 * a missing Origin is only accepted when Fetch Metadata says the request is same-origin.
 * Requests authenticated by a bearer key carry no ambient credential and skip this.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") === "same-origin";
  return allowedOrigins(request).has(origin);
}

function allowedOrigins(request: Request): Set<string> {
  const allowed = new Set<string>();
  const publicUrl = env().PUBLIC_URL;
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) {
    const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  allowed.add(new URL(request.url).origin);
  return allowed;
}
