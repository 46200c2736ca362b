/** A key's status, derived, in this precedence: revoked > expired > limit_reached > active. */
export const keyStatuses = ["active", "limit_reached", "expired", "revoked"] as const;
export type KeyStatus = (typeof keyStatuses)[number];

export interface KeyStatusFields {
  revokedAt: Date | null;
  expiresAt: Date | null;
  spendingLimit: bigint | null;
  spend: bigint;
}

/**
 * `smallestRequestCost` (lib/keys/smallest-request.ts): a key whose remaining budget cannot
 * pay for even the cheapest request is refused every request, so it reads limit_reached.
 * The default, 1, is the bare rule: spend has reached the limit.
 */
export function keyStatus(key: KeyStatusFields, now: Date = new Date(), smallestRequestCost = 1n): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.spendingLimit !== null && key.spendingLimit - key.spend < (smallestRequestCost > 1n ? smallestRequestCost : 1n)) return "limit_reached";
  return "active";
}
