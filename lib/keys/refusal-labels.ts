/**
 * Why a key's request was refused, in words a user acts on: the key detail page lists its
 * refusals by these labels, with the `/v1` error code beside them so that the label can be
 * matched to what the application logged. The codes are the refusal counter's
 * (lib/gateway/stores/refusal-counter.ts).
 */
const LABELS: Record<string, string> = {
  key_revoked: "Key revoked",
  key_expired: "Key expired",
  key_rotated: "Old secret after a roll",
  key_paused: "Key paused",
  account_disabled: "Owner's account disabled",
  wrong_key_type: "Wrong key type",
  limit_reached: "Spending limit reached",
  rate_limit_exceeded: "Rate limited",
  model_not_allowed: "Model not allowed",
  ip_not_allowed: "Address not allowed",
  insufficient_balance: "No balance left",
};

export function refusalLabel(code: string): string {
  return LABELS[code] ?? code;
}

/** The codes of one count, most frequent first (ties by label), for a stable list. */
export function refusalsByFrequency(byCode: Record<string, number>): [string, number][] {
  return Object.entries(byCode).sort(
    ([a, x], [b, y]) => y - x || refusalLabel(a).localeCompare(refusalLabel(b)),
  );
}
