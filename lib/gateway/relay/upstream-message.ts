/**
 * What of an upstream's error message may reach the client. The status, code and the gist
 * stay (the developer needs them to fix the request); what the upstream put in it about
 * itself does not: authorization values, credentials and API keys, URLs (its own base URL,
 * internal hosts, presigned links), network addresses and server-side file paths.
 */
const MAX_LENGTH = 500;

const rules: Array<[RegExp, string]> = [
  // "Authorization: Bearer abc", "authorization=…", "Proxy-Authorization: Basic …"
  [
    /\b((?:proxy-)?authorization)\b\s*["']?\s*[:=]\s*["']?[^\s,;"'}]+(?:\s+[^\s,;"'}]+)?/gi,
    "$1: [redacted]",
  ],
  // Bare schemes with their credential
  [/\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g, "$1 [redacted]"],
  // key=value forms that carry secrets
  [
    /\b(api[_-]?key|x-api-key|access[_-]?token|refresh[_-]?token|token|secret|password|passwd|pwd|credential|client[_-]?secret|signature|sig)\b(["']?\s*[:=]\s*["']?)[^\s,;"'&}]+/gi,
    "$1$2[redacted]",
  ],
  // Vendor-shaped keys anywhere: sk-…, sk-ant-…, mb_live_…, AKIA…, ghp_…, AIza…, xox?-…
  [/\b(?:sk|rk|pk)-[A-Za-z0-9_-]{8,}/g, "[redacted key]"],
  [/\bmb_(?:live|mgmt)_[A-Za-z0-9]{8,}/g, "[redacted key]"],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, "[redacted key]"],
  [/\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{10,}/g, "[redacted key]"],
  [/\bAIza[A-Za-z0-9_-]{20,}/g, "[redacted key]"],
  [/\bxox[abprs]-[A-Za-z0-9-]{8,}/g, "[redacted key]"],
  // JWTs
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted token]"],
  // URLs of any scheme with an authority (userinfo, hosts, query strings go with them)
  [/\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>)\]]+/gi, "[url]"],
  // host:port and bare IPv4 addresses; bracketed or long IPv6 addresses
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, "[address]"],
  [/\[[0-9a-f:.]{2,}\](?::\d{1,5})?/gi, "[address]"],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi, "[address]"],
  [
    /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|svc|cluster\.local|localdomain)(?::\d{1,5})?\b/gi,
    "[host]",
  ],
  [/\blocalhost(?::\d{1,5})\b/gi, "[host]"],
  // Windows and POSIX file paths under the usual roots, or naming a source file
  [/\b[A-Za-z]:\\[^\s"'<>]+/g, "[path]"],
  [
    /(?<![\w/])\/(?:home|root|var|etc|usr|opt|srv|tmp|app|apps|mnt|data|proc|sys|run|workspace|workdir|code|src|lib|Users|private|nix)(?:\/[^\s"'<>:,)]*)+/g,
    "[path]",
  ],
  [
    /(?<![\w/])(?:\.{0,2}\/)?(?:[\w.@-]+\/)+[\w.@-]+\.(?:py|js|mjs|cjs|ts|go|rs|java|rb|php|cc|cpp|c|h|so|jar|sock)\b(?::\d+)*/g,
    "[path]",
  ],
];

export function sanitizeUpstreamMessage(message: string, secrets: readonly string[] = []): string {
  let text = message;
  // The model's own credential and base URL, verbatim, whatever shape they have.
  for (const secret of secrets) {
    if (secret && secret.length >= 4) text = text.split(secret).join("[redacted]");
  }
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
  // Control characters (a log-injection or terminal escape from upstream) become spaces.
  text = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}
