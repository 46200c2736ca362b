import { env } from "@/lib/env";
import { requestOrigin } from "@/lib/http/public-base-url";

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
  // X-Forwarded-Host/-Proto only count when written by a trusted proxy (TRUST_PROXY).
  const origin = requestOrigin(request.headers, new URL(request.url).protocol.replace(":", ""));
  if (origin) allowed.add(origin);
  allowed.add(new URL(request.url).origin);
  return allowed;
}
