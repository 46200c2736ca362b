import { legacyIpv4Spelling, normalizeCidr, parsesLoosely } from "./ip-allowlist";

/** One entry of an allowlist as typed, and where it was: "line 2" in the form, "entry 2" in the API. */
export interface AllowlistEntry {
  text: string;
  /** 1-based: the form's line, or the API list's position. */
  at: number;
}

export type AllowlistCheck = { ok: true; ranges: string[] } | { ok: false; message: string };

const EXAMPLE = "like 203.0.113.0/24 or 2001:db8::/32";

/**
 * Every entry checked, and every bad one named in one message (the first alone sent people
 * back once per typo): `Line 2 (“10.0.0.300”) and line 4 (“abc”) are not IP addresses or
 * CIDR ranges (like …)`. Good entries come back normalized, without duplicates.
 */
export function checkAllowlist(entries: AllowlistEntry[], unit: "line" | "entry"): AllowlistCheck {
  const ranges: string[] = [];
  const invalid: AllowlistEntry[] = [];
  const legacy: AllowlistEntry[] = [];
  for (const entry of entries) {
    const text = entry.text.trim();
    // No address or range is longer than 64 characters; nothing that long is parsed.
    const short = text.length <= 64;
    const cidr = short ? normalizeCidr(text) : null;
    if (cidr) {
      if (!ranges.includes(cidr)) ranges.push(cidr);
    } else if (short && legacyIpv4Spelling(text) && parsesLoosely(text)) legacy.push(entry);
    else invalid.push(entry);
  }
  if (invalid.length === 0 && legacy.length === 0) return { ok: true, ranges };
  const sentences: string[] = [];
  if (invalid.length > 0)
    sentences.push(
      `${named(invalid, unit)} ${invalid.length === 1 ? "is not an IP address or CIDR range" : "are not IP addresses or CIDR ranges"} (${EXAMPLE}).`,
    );
  if (legacy.length > 0)
    sentences.push(
      `${named(legacy, unit)} ${legacy.length === 1 ? "uses a legacy IPv4 spelling" : "use a legacy IPv4 spelling"} (leading zeros, hex or fewer than four parts): write four plain decimal numbers, like 10.1.1.1.`,
    );
  return { ok: false, message: sentences.join(" ") };
}

/** At most this many named; the rest counted, so a pasted list of junk does not fill the page. */
const NAMED = 5;

function named(entries: AllowlistEntry[], unit: string): string {
  const parts = entries
    .slice(0, NAMED)
    .map((e, i) => `${i === 0 ? capitalize(unit) : unit} ${e.at} (“${shown(e.text)}”)`);
  const rest = entries.length - NAMED;
  if (rest > 0) parts.push(`${rest} more`);
  return parts.length === 1
    ? parts[0]
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

function shown(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
