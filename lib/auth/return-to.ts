/**
 * The custom server (server.ts) writes the requested URL into this header, overwriting
 * anything a client sent, so that a page finding no session can send the browser to
 * /login?callbackUrl=<that page> and sign-in returns there (not always to API Keys).
 */
export const PAGE_URL_HEADER = "x-modelbridge-page-url";

/** `/login`, carrying the page asked for when it is a same-origin dashboard path. */
export function loginHref(pageUrl: string | null | undefined): string {
  if (!pageUrl || !pageUrl.startsWith("/") || pageUrl.startsWith("//")) return "/login";
  let url: URL;
  try {
    url = new URL(pageUrl, "http://localhost");
  } catch {
    return "/login";
  }
  if (url.origin !== "http://localhost" || url.pathname.startsWith("/api/")) return "/login";
  url.searchParams.delete("_rsc");
  const target = url.pathname + url.search;
  if (target === "/" || target.startsWith("/login") || target.length > 1000) return "/login";
  return `/login?callbackUrl=${encodeURIComponent(target)}`;
}
