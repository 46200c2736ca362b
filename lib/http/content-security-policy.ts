/**
 * The pages' Content Security Policy, after Next's guidance for an app without nonces:
 * Next's App Router inlines its bootstrap and RSC payload scripts, so script-src needs
 * 'unsafe-inline' unless every page renders dynamically with a per-request nonce (which
 * would also turn off static rendering); styles are inlined by Tailwind and Recharts.
 * What it still buys: no third-party script, style, image, font or connection sources, no
 * plugins, no <base> hijack, forms post only here, and no framing (clickjacking).
 * Development adds 'unsafe-eval', which React's dev build uses for its debugging stacks.
 */
export function contentSecurityPolicy(development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
