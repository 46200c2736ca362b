/**
 * The URL applications reach this server at, for commands shown to users: PUBLIC_URL when
 * configured (the server may sit behind a proxy that rewrites the host), else the origin
 * the request came in on.
 */
export function publicBaseUrl(publicUrl: string | undefined, headers: Headers): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
