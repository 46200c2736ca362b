/**
 * Where to send someone after sign-in, given a `callbackUrl` the request chose. Only a path
 * on this server: an open redirect after sign-in is a phishing aid (the link looks like ours,
 * the page after the password prompt is theirs). The target is parsed with `URL` against our
 * origin, the way a browser will read it, instead of looking at its first characters:
 * `/\evil.test/` is `//evil.test/` to a browser, and `/..//evil.test` resolves to the path
 * `//evil.test`, which as a Location is protocol-relative.
 */
const PLACEHOLDER_ORIGIN = "http://modelbridge.invalid";

export function sameOriginPath(
  target: unknown,
  fallback: string,
  origin: string = PLACEHOLDER_ORIGIN,
): string {
  if (typeof target !== "string" || target === "") return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  // A path that begins with several slashes would leave our origin once written as a Location.
  const path = url.pathname.replace(/^\/+/, "/");
  return `${path}${url.search}${url.hash}`;
}

/**
 * next-auth's `redirect` callback: the same rule for the callbackUrl of its own routes
 * (`/api/auth/callback/…`, the callback-url cookie) as for the sign-in form. The default
 * callback accepts any string starting with "/", which lets `/\evil.test/` through.
 * The answer is a path, not an absolute URL: next-auth's `baseUrl` is the origin Next
 * thinks it serves (`localhost` when listening on 0.0.0.0), not necessarily the one the
 * browser used, and a Location on another host would drop the session cookie.
 */
export function authRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  return sameOriginPath(url, "/", baseUrl);
}
